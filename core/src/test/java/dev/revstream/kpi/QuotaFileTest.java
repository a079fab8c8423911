package dev.revstream.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Quota files: owners' quotas by period, the sum for all, and every mistake named with its entry. */
class QuotaFileTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void anOwnersQuotaAndTheSumForAllInTheirPeriod() throws Exception {
        Quotas q = QuotaFile.fromTree(YAML.readTree("""
                        quotas:
                          - { owner: rep-1, period: 1Q, start: 2026-02-01, amount: 300000 }
                          - { owner: rep-2, period: 1Q, start: 2026-02-01, amount: 150000.50 }
                          - { owner: rep-1, period: 1M, start: 2026-03-01, amount: 100000 }
                        """), BERLIN, 2);
        KpiWindow quarter = new KpiWindow("1Q", BERLIN, 2);
        long feb = LocalDate.of(2026, 2, 1).atStartOfDay(BERLIN).toInstant().toEpochMilli();
        assertThat(q.of("ownerId=rep-1", quarter, feb)).isEqualByComparingTo("300000");
        assertThat(q.of("all=all", quarter, feb)).isEqualByComparingTo("450000.50");
        assertThat(q.of("segment=smb", quarter, feb)).isNull();
        assertThat(q.of("ownerId=rep-3", quarter, feb)).isNull();
        KpiWindow month = new KpiWindow("1M", BERLIN, 2);
        long march = LocalDate.of(2026, 3, 1).atStartOfDay(BERLIN).toInstant().toEpochMilli();
        assertThat(q.of("ownerId=rep-1", month, march)).isEqualByComparingTo("100000");
        assertThat(q.of("ownerId=rep-1", month, feb)).isNull();
    }

    @Test
    void everyMistakeIsNamedWithItsEntry() {
        assertThatThrownBy(() -> QuotaFile.fromTree(YAML.readTree("""
                                quotas:
                                  - { owner: rep-1, period: 1Q, start: 2026-01-01, amount: 1 }
                                  - { owner: rep-1, period: 1w, start: 2026-02-01, amount: 1 }
                                  - { owner: rep-1, period: 1M, start: 2026-02-31, amount: 1 }
                                  - { owner: rep-1, period: 1M, start: 2026-02-01, amount: -5 }
                                  - { owner: rep-1, period: 1M, start: 2026-03-01 }
                                  - { owner: rep-1, period: 1Q, start: 2026-02-01, amount: 1 }
                                  - { owner: rep-1, period: 1Q, start: 2026-02-01, amount: 2 }
                                """), BERLIN, 2))
                .hasMessageContaining("quotas[0]: start 2026-01-01 is not the first day of a 1Q period")
                .hasMessageContaining("quotas[1]: period '1w' is not one of 1M, 1Q, 1y")
                .hasMessageContaining("quotas[2]: start '2026-02-31' is not a date")
                .hasMessageContaining("quotas[3]: amount -5 is negative")
                .hasMessageContaining("quotas[4]: needs owner, period, start and amount")
                .hasMessageContaining("quotas[6]: rep-1 has a 1Q quota from 2026-02-01 already")
                .hasMessageNotContaining("quotas[5]");
        assertThatThrownBy(() -> QuotaFile.fromTree(YAML.readTree("owners: []"), BERLIN, 1))
                .hasMessageContaining("needs a list 'quotas'");
    }
}
