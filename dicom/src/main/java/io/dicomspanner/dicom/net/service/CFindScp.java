package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomParseException;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.CommandField;
import io.dicomspanner.dicom.net.Commands;
import io.dicomspanner.dicom.net.DimseMessage;
import io.dicomspanner.dicom.net.Priority;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import io.dicomspanner.dicom.query.InformationModel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-FIND SCP service (PS3.4 C.4.1.2): checks the request (an identifier that parses, a Query/Retrieve Level the
 * information model has), answers what it cannot check with a failure status and an error comment, and hands the
 * rest to a {@link CFindHandler}. On C-CANCEL it sends Cancel (FE00H) at once and tells the handler.
 */
public final class CFindScp implements DicomService {
    private static final Logger LOG = LoggerFactory.getLogger(CFindScp.class);

    private final CFindHandler handler;
    private final Set<String> sopClasses;
    private final QueryOptions supportedOptions;

    /** All three information models, no extended negotiation. */
    public CFindScp(CFindHandler handler) {
        this(handler, Set.copyOf(SopClasses.QUERY_FIND), QueryOptions.NONE);
    }

    /**
     * @param sopClasses a subset of {@link SopClasses#QUERY_FIND}
     * @param supportedOptions the extended negotiation options the handler implements; a requestor gets those it asks
     *     for
     */
    public CFindScp(CFindHandler handler, Set<String> sopClasses, QueryOptions supportedOptions) {
        this.handler = Objects.requireNonNull(handler, "handler");
        for (String s : sopClasses) {
            if (InformationModel.ofFindSopClassUid(s) == null) {
                throw new IllegalArgumentException(s + " is not a C-FIND information model");
            }
        }
        this.sopClasses = Set.copyOf(sopClasses);
        this.supportedOptions = Objects.requireNonNull(supportedOptions, "supportedOptions");
    }

    @Override
    public Set<String> sopClasses() {
        return sopClasses;
    }

    @Override
    public SopClassExtendedNegotiation negotiate(SopClassExtendedNegotiation proposed) {
        QueryOptions agreed = QueryOptions.of(proposed).and(supportedOptions);
        return agreed.toNegotiation(proposed.sopClassUid());
    }

    @Override
    public void onRequest(Association association, DimseMessage request, CompletableFuture<Void> cancelled) {
        if (request.commandField() != CommandField.C_FIND_RQ) {
            refuse(association, request, Status.UNRECOGNIZED_OPERATION, "not a C-FIND-RQ", -1);
            return;
        }
        if (!request.hasDataset()) {
            refuse(association, request, Status.UNABLE_TO_PROCESS, "C-FIND-RQ without identifier", -1);
            return;
        }
        Attributes identifier;
        try {
            identifier = request.readDataset();
        } catch (DicomParseException e) {
            LOG.warn(
                    "{}: C-FIND identifier (message {}) does not parse: {}",
                    association,
                    request.messageId(),
                    e.getMessage());
            refuse(association, request, Status.UNABLE_TO_PROCESS, "identifier does not parse: " + e.getMessage(), -1);
            return;
        }
        String sopClass = request.presentationContext().abstractSyntax();
        InformationModel model = InformationModel.ofFindSopClassUid(sopClass);
        VR levelVr = identifier.vrOf(Tag.QUERY_RETRIEVE_LEVEL);
        String level = queryRetrieveLevel(identifier);
        if (level == null || !model.hasLevelCode(level)) {
            String why = level != null
                    ? "QueryRetrieveLevel " + level + " is not a level of " + model.displayName()
                    : levelVr != null && !identifier.isEmptyValue(Tag.QUERY_RETRIEVE_LEVEL)
                            ? "QueryRetrieveLevel (0008,0052) has VR " + levelVr + ", not CS"
                            : "QueryRetrieveLevel (0008,0052) missing";
            LOG.warn("{}: C-FIND message {} refused: {}", association, request.messageId(), why);
            refuse(association, request, Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, why, Tag.QUERY_RETRIEVE_LEVEL);
            return;
        }
        FindRequest find = new FindRequest(
                association,
                sopClass,
                request.messageId(),
                Priority.of(request.command().getInt(Tag.PRIORITY, 0)),
                identifier,
                QueryOptions.negotiated(association, sopClass),
                new CompletableFuture<>());
        Responder responder = new Responder(association, request, find);
        cancelled.thenRun(responder::onCancel);
        try {
            handler.onFind(find, responder);
        } catch (RuntimeException e) {
            LOG.error("{}: C-FIND handler failed on message {}", association, request.messageId(), e);
            responder.complete(
                    Status.UNABLE_TO_PROCESS, "internal error: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The Query/Retrieve Level of an identifier as a peer sent it; {@code null} if absent, empty, or declared with a VR
     * that holds no text (explicit VR UN, OB or SQ), which the SCP refuses like a missing level.
     */
    public static String queryRetrieveLevel(Attributes identifier) {
        VR vr = identifier.vrOf(Tag.QUERY_RETRIEVE_LEVEL);
        if (vr == null || !(vr.isText() || vr.binaryValueSize() > 0)) {
            return null;
        }
        return identifier.getString(Tag.QUERY_RETRIEVE_LEVEL);
    }

    private void refuse(Association as, DimseMessage request, int status, String comment, int offendingTag) {
        Attributes rsp = Commands.response(request.command(), status, false, comment);
        if (offendingTag != -1) {
            rsp.setInt(Tag.OFFENDING_ELEMENT, VR.AT, offendingTag);
        }
        as.respond(request, rsp, null);
        try {
            handler.onRefused(request.presentationContext().abstractSyntax(), status);
        } catch (RuntimeException e) {
            LOG.error("{}: C-FIND handler failed on a refusal of message {}", as, request.messageId(), e);
        }
    }

    /** Serializes a handler's calls so they are queued in the order made, and stops them after the end. */
    private static final class Responder implements FindResponder {
        private final Association association;
        private final DimseMessage request;
        private final FindRequest find;
        private boolean done;

        Responder(Association association, DimseMessage request, FindRequest find) {
            this.association = association;
            this.request = request;
            this.find = find;
        }

        @Override
        public void pending(Attributes identifier) {
            pending(identifier, Status.PENDING);
        }

        @Override
        public synchronized void pending(Attributes identifier, int status) {
            if (!Status.isPending(status)) {
                throw new IllegalArgumentException(Status.toString(status) + " is not a pending status");
            }
            if (done) {
                return;
            }
            association.respond(request, Commands.response(request.command(), status, true, null), identifier);
        }

        @Override
        public synchronized void complete(int status, String errorComment) {
            if (Status.isPending(status)) {
                throw new IllegalArgumentException("the final response cannot be pending");
            }
            if (done) {
                return;
            }
            done = true;
            association.respond(request, Commands.response(request.command(), status, false, errorComment), null);
        }

        @Override
        public synchronized void complete(int status, String errorComment, int offendingElement) {
            if (Status.isPending(status)) {
                throw new IllegalArgumentException("the final response cannot be pending");
            }
            if (done) {
                return;
            }
            done = true;
            Attributes rsp = Commands.response(request.command(), status, false, errorComment);
            rsp.setInt(Tag.OFFENDING_ELEMENT, VR.AT, offendingElement);
            association.respond(request, rsp, null);
        }

        @Override
        public CompletionStage<Void> writable() {
            return association.whenWritable();
        }

        @Override
        public synchronized boolean isDone() {
            return done;
        }

        void onCancel() {
            synchronized (this) {
                if (!done) {
                    done = true;
                    association.respond(
                            request, Commands.response(request.command(), Status.CANCEL, false, null), null);
                }
            }
            find.signalCancelled();
        }
    }
}
