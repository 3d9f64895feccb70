package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.CommandField;
import io.dicomspanner.dicom.net.Commands;
import io.dicomspanner.dicom.net.DimseMessage;
import io.dicomspanner.dicom.net.DimseRequestHandler;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches received requests to services by SOP class. Negotiation accepts exactly the registered SOP classes; a
 * request whose Affected SOP Class UID is not its presentation context's abstract syntax, or has no service, is
 * refused with 0122H (Refused: SOP Class not supported).
 */
public final class DicomServiceRegistry implements DimseRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DicomServiceRegistry.class);

    private final Map<String, DicomService> services = new ConcurrentHashMap<>();

    /** Registers a service for all its SOP classes, replacing earlier ones for the same classes. */
    public DicomServiceRegistry register(DicomService service) {
        for (String sopClass : service.sopClasses()) {
            services.put(sopClass, service);
        }
        return this;
    }

    @Override
    public Set<String> sopClasses() {
        return Set.copyOf(services.keySet());
    }

    @Override
    public SopClassExtendedNegotiation negotiate(SopClassExtendedNegotiation proposed) {
        DicomService service = services.get(proposed.sopClassUid());
        return service == null ? null : service.negotiate(proposed);
    }

    @Override
    public void onRequest(Association association, DimseMessage request, CompletableFuture<Void> cancelled) {
        String abstractSyntax = request.presentationContext().abstractSyntax();
        String affected = request.affectedSopClassUid();
        DicomService service = services.get(abstractSyntax);
        if (service == null || !abstractSyntax.equals(affected)) {
            LOG.warn(
                    "{}: refusing {} for SOP class {} on a presentation context for {}",
                    association,
                    CommandField.name(request.commandField()),
                    affected,
                    SopClasses.name(abstractSyntax));
            association.respond(
                    request,
                    Commands.response(
                            request.command(),
                            Status.SOP_CLASS_NOT_SUPPORTED,
                            false,
                            "SOP class " + affected + " not supported on this presentation context"),
                    null);
            return;
        }
        service.onRequest(association, request, cancelled);
    }
}
