/**
 * The DICOM network layer on Netty: associations (PS3.8) and DIMSE message exchange (PS3.7).
 *
 * <p>Every connection has the same pipeline: [TLS] → {@link io.dicomspanner.dicom.net.pdu.PduDecoder} (framing and
 * parsing, with size limits) → {@link io.dicomspanner.dicom.net.pdu.PduEncoder} → {@link
 * io.dicomspanner.dicom.net.Association} (Upper Layer state machine and timers, PDV reassembly and fragmentation,
 * request/response routing by message ID) → a {@link io.dicomspanner.dicom.net.DimseRequestHandler} for requests
 * received, usually {@link io.dicomspanner.dicom.net.service.DicomServiceRegistry}.
 *
 * <p>{@link io.dicomspanner.dicom.net.DicomClient} opens associations as requestor, {@link
 * io.dicomspanner.dicom.net.DicomServer} accepts them; {@link io.dicomspanner.dicom.net.DicomSettings} holds every
 * limit and timeout with its default. The services (C-ECHO, C-FIND) are in {@code net.service}, the SCU association
 * pool in {@code net.pool}, the wire format in {@code net.pdu}.
 */
package io.dicomspanner.dicom.net;
