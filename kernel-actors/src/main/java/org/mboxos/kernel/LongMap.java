package org.mboxos.kernel;

import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * A map from {@code long} keys (pids, object ids) to non-null values, for the kernel's tables
 * that hold an entry per process or per object: no boxed key and no entry object per mapping,
 * only two parallel arrays (open addressing, linear probing, at most three quarters full;
 * removal shifts back the entries after it, so there are no tombstones). An entry costs 16 to
 * 32 bytes where a {@link java.util.HashMap} entry costs about 60.
 *
 * <p>Not thread-safe: plain state of one actor. Iteration is in table order, the same for the
 * same sequence of calls, but not key order; a caller that needs key order sorts.
 */
public final class LongMap<V> {
    private static final int MIN_CAPACITY = 8;

    private long[] keys;
    /** {@code values[i] == null}: slot {@code i} is free. */
    private Object[] values;
    private int size;

    public LongMap() {
        keys = new long[MIN_CAPACITY];
        values = new Object[MIN_CAPACITY];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int i = find(key);
        return i < 0 ? null : (V) values[i];
    }

    public boolean containsKey(long key) {
        return find(key) >= 0;
    }

    /** Maps {@code key} to {@code value} (not null); returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("LongMap values cannot be null");
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size > keys.length - (keys.length >> 2)) {
            resize(2 * keys.length);
        }
        return null;
    }

    /** The value for {@code key}, made by {@code make} (which must not return null) and put if there is none. */
    public V computeIfAbsent(long key, LongFunction<V> make) {
        V v = get(key);
        if (v == null) {
            v = make.apply(key);
            put(key, v);
        }
        return v;
    }

    /** Removes {@code key}; returns its value, or null if it had none. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int i = find(key);
        if (i < 0) {
            return null;
        }
        V old = (V) values[i];
        int mask = keys.length - 1;
        // shift back every later entry of the run whose home slot is not between the hole and it
        int hole = i;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
        size--;
        return old;
    }

    /** Every value, in table order. */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    /** A {@code long} key and its value. */
    @FunctionalInterface
    public interface EntryConsumer<V> {
        void accept(long key, V value);
    }

    /** Every key and its value, in table order. */
    @SuppressWarnings("unchecked")
    public void forEach(EntryConsumer<? super V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    private int find(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** The home slot of {@code key}: consecutive keys (pids) spread over the table. */
    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                int j = slot(oldKeys[i], mask);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }
}
