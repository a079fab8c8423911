package dev.revstream.journey;

/** The health signals of one account at one instant (several events at the same time add up). */
public class HealthBucket {
    public double usage;
    public int tickets;
    public int lowNps;
    public int championLeft;
    public int paymentFailed;

    public HealthBucket() {}

    void add(HealthBucket o) {
        usage += o.usage;
        tickets += o.tickets;
        lowNps += o.lowNps;
        championLeft += o.championLeft;
        paymentFailed += o.paymentFailed;
    }
}
