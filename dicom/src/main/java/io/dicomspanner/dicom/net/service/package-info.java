/**
 * DIMSE services. As SCU: {@link io.dicomspanner.dicom.net.service.CEchoScu}, {@link
 * io.dicomspanner.dicom.net.service.CFindScu} (streaming matches, cancel, timeouts). As SCP: {@link
 * io.dicomspanner.dicom.net.service.CEchoScp} and {@link io.dicomspanner.dicom.net.service.CFindScp}, which hands
 * checked queries to an application's {@link io.dicomspanner.dicom.net.service.CFindHandler}; both registered in a
 * {@link io.dicomspanner.dicom.net.service.DicomServiceRegistry} that dispatches by SOP class.
 */
package io.dicomspanner.dicom.net.service;
