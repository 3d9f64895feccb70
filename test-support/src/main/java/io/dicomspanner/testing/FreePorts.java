package io.dicomspanner.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Free TCP ports for the processes a test starts. They come from 30000–32699: above the range dicom's
 * {@code UnusualPorts} hands to dcmqrscp and Orthanc (21000–29999), so the two never pick the same port in one JVM,
 * and below Linux's ephemeral range (32768+), so no outgoing connection holds one. A port is only known to be free
 * when it is handed out; the processes here are started right after. On a machine shared by several runs, the system
 * properties {@code free-ports.first} and {@code free-ports.last} narrow the range to a run's own share of it.
 */
public final class FreePorts {
    static final int FIRST = Integer.getInteger("free-ports.first", 30000);
    static final int LAST = Integer.getInteger("free-ports.last", 32699);
    static final int ATTEMPTS = 200;

    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {}

    public static int one() {
        return consecutive(1);
    }

    /** The first of {@code count} consecutive free ports (the simulator listens on base port + i). */
    public static synchronized int consecutive(int count) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int base = FIRST + RANDOM.nextInt(LAST - FIRST + 2 - count);
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                free = !HANDED_OUT.contains(port) && isFree(port);
            }
            if (free) {
                for (int port = base; port < base + count; port++) {
                    HANDED_OUT.add(port);
                }
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports in " + FIRST + "-" + LAST);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
