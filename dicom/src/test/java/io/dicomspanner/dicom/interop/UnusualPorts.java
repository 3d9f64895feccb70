package io.dicomspanner.dicom.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Free TCP ports for the peers a test starts, away from the well-known DICOM and HTTP ports (104, 4242, 8042, 11112)
 * and below Linux's ephemeral range (32768+), so a peer never takes a port an outgoing connection is using.
 *
 * <p>A port is only known to be free when it is handed out; a peer that then fails to bind is restarted on another
 * port by its starter.
 */
public final class UnusualPorts {
    /** Lowest port handed out. */
    public static final int FIRST = 21000;
    /** Highest port handed out. */
    public static final int LAST = 29999;
    /** How many random ports are tried before giving up. */
    public static final int ATTEMPTS = 200;

    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private UnusualPorts() {}

    /** A port in [{@value #FIRST}, {@value #LAST}] that nothing listens on now and this JVM has not handed out. */
    public static synchronized int pick() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = FIRST + RANDOM.nextInt(LAST - FIRST + 1);
            if (!HANDED_OUT.contains(port) && isFree(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + "-" + LAST + " after " + ATTEMPTS + " attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
