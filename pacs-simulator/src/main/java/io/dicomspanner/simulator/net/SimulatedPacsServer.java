package io.dicomspanner.simulator.net;

import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.simulator.SimulatedPacs;
import io.dicomspanner.simulator.config.PacsMode;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One simulated PACS on the network: a {@link DicomServer} on the PACS's port answering C-ECHO and C-FIND (Patient
 * Root, Study Root, Patient/Study Only) to its own AE title only.
 *
 * <ul>
 *   <li>Another called AE title: A-ASSOCIATE-RJ permanent, service-user, called-AE-title-not-recognized.
 *   <li>More associations than {@code maxAssociations}: A-ASSOCIATE-RJ transient, service-provider (presentation),
 *       local-limit-exceeded; {@link #associations()} counts them, the most at once and the rejections.
 *   <li>Relational queries are offered in SOP Class Extended Negotiation only by a PACS that supports them, and
 *       answered only when the SCU negotiated them; otherwise C000.
 *   <li>{@link PacsMode#DEAD}: nothing listens on the port, so connections are refused.
 *   <li>{@link PacsMode#HANGING}: associations and C-ECHO are answered, C-FIND never is, until the SCU cancels (the
 *       network layer answers C-CANCEL with FE00 itself), aborts or closes the association.
 *   <li>A PACS named in {@link NetworkSettings#tlsPacs()} listens over DICOM TLS only, with
 *       {@link NetworkSettings#tls()}; with trusted certificates there, it requires a client certificate they
 *       signed.
 * </ul>
 */
public final class SimulatedPacsServer implements AutoCloseable {
    private final SimulatedPacs pacs;
    private final String host;
    private final DicomServer server;
    private final boolean tls;
    private final AssociationCount associations;

    private SimulatedPacsServer(
            SimulatedPacs pacs, String host, DicomServer server, boolean tls, AssociationCount associations) {
        this.pacs = pacs;
        this.host = host;
        this.server = server;
        this.tls = tls;
        this.associations = associations;
    }

    /**
     * Puts {@code pacs} on the network: binds its port on {@code settings.bindAddress()} unless it is dead.
     *
     * @param eventLoops the fleet's event loops, left running on {@link #close()}
     * @param answerThreads where searches run and responses are produced
     */
    public static SimulatedPacsServer start(
            SimulatedPacs pacs, NetworkSettings settings, EventLoopGroup eventLoops, Executor answerThreads)
            throws IOException {
        return start(pacs, settings, eventLoops, answerThreads, stats -> {});
    }

    /**
     * As {@link #start(SimulatedPacs, NetworkSettings, EventLoopGroup, Executor)}, telling {@code onPeakOrReject} each
     * time the PACS's most concurrent associations rise or it rejects one past its limit.
     */
    public static SimulatedPacsServer start(
            SimulatedPacs pacs,
            NetworkSettings settings,
            EventLoopGroup eventLoops,
            Executor answerThreads,
            Consumer<AssociationCount.Stats> onPeakOrReject)
            throws IOException {
        AssociationCount associations = new AssociationCount(pacs.settings().maxAssociations(), onPeakOrReject);
        if (pacs.settings().mode() == PacsMode.DEAD) {
            return new SimulatedPacsServer(
                    pacs, settings.bindAddress(), null, settings.listensOverTls(pacs.name()), associations);
        }
        QueryOptions offered = pacs.settings().relationalQueries() ? QueryOptions.RELATIONAL : QueryOptions.NONE;
        DicomServiceRegistry services = new DicomServiceRegistry()
                .register(new CEchoScp())
                .register(new CFindScp(
                        new SimulatedFindHandler(
                                pacs, answerThreads, settings.matchInterval(), settings.responsesPerTurn()),
                        Set.copyOf(SopClasses.QUERY_FIND),
                        offered));
        // the PACS's limit is counted per association by AssociationCount; the network layer's own (per connection,
        // settings.dicom()) stays above it
        DicomSettings dicom = settings.dicom().toBuilder()
                .maxAssociations(Math.max(
                        settings.dicom().maxAssociations(), pacs.settings().maxAssociations()))
                .build();
        boolean tls = settings.listensOverTls(pacs.name());
        DicomServer.Builder builder = DicomServer.builder();
        if (tls) {
            builder.tls(settings.tls());
        }
        DicomServer server = builder.settings(dicom)
                .bind(settings.bindAddress(), pacs.settings().port())
                .calledAeTitles(Set.of(pacs.aeTitle()))
                .filter(associations)
                .onAssociation(associations)
                .requestHandler(services)
                .eventLoopGroup(eventLoops)
                .start();
        return new SimulatedPacsServer(pacs, settings.bindAddress(), server, tls, associations);
    }

    /** Its concurrent associations: now, the most at once, and those rejected past its limit. */
    public AssociationCount associations() {
        return associations;
    }

    public SimulatedPacs pacs() {
        return pacs;
    }

    /** The address it listens on (or would, if dead). */
    public String host() {
        return host;
    }

    /** The port it listens on; for a dead PACS, the port nothing listens on. */
    public int port() {
        return server == null ? pacs.settings().port() : server.port();
    }

    /** True when it listens over DICOM TLS (not announced in {@link #toString()}, whose format scripts parse). */
    public boolean isTls() {
        return tls;
    }

    /** False for a dead PACS. */
    public boolean isListening() {
        return server != null;
    }

    /** Stops listening and aborts its associations. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return pacs.name() + " " + pacs.aeTitle() + " " + host + ":" + port() + " "
                + pacs.settings().mode();
    }
}
