package io.dicomspanner.dicom.net.pool;

/**
 * A snapshot of one peer's associations in a pool.
 *
 * @param open established associations held by the pool
 * @param opening connects in progress
 * @param leased operations running on the pool's associations (more than {@code open} only with an asynchronous
 *     operations window)
 * @param idle open associations with no operation
 * @param waiting callers queued for an association
 */
public record PoolStats(int open, int opening, int leased, int idle, int waiting) {}
