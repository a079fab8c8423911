package dev.revstream.forecast;

/** A keyed table the forecast keeps its books in: a Flink MapState in the job, a map elsewhere. */
public interface Book<K, V> {
    V get(K key) throws Exception;

    void put(K key, V value) throws Exception;

    void remove(K key) throws Exception;

    Iterable<V> values() throws Exception;
}
