package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.CommandField;
import io.dicomspanner.dicom.net.Commands;
import io.dicomspanner.dicom.net.DimseMessage;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The Verification SOP class as SCP: answers C-ECHO-RQ with Success. */
public final class CEchoScp implements DicomService {
    @Override
    public Set<String> sopClasses() {
        return Set.of(SopClasses.VERIFICATION);
    }

    @Override
    public void onRequest(Association association, DimseMessage request, CompletableFuture<Void> cancelled) {
        int status = request.commandField() == CommandField.C_ECHO_RQ ? Status.SUCCESS : Status.UNRECOGNIZED_OPERATION;
        association.respond(request, Commands.response(request.command(), status, false, null), null);
    }
}
