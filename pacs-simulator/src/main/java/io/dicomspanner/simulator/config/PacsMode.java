package io.dicomspanner.simulator.config;

/** How a simulated PACS behaves on the network. */
public enum PacsMode {
    /** Accepts associations and answers every C-FIND (after its latency, with its error rate). */
    NORMAL,
    /** Refuses every connection: the port is closed, as for a PACS that is down. */
    DEAD,
    /** Accepts the association and the C-FIND but never answers it, as for a PACS stuck in a slow database query. */
    HANGING
}
