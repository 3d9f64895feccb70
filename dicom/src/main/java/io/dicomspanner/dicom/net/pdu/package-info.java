/**
 * The DICOM Upper Layer wire format (PS3.8 §9.3): one record per PDU ({@link io.dicomspanner.dicom.net.pdu.Pdu}) and
 * per item and user information sub-item, {@link io.dicomspanner.dicom.net.pdu.PduReader} / {@link
 * io.dicomspanner.dicom.net.pdu.PduWriter} for the bytes, and the Netty decoder and encoder. Nothing here knows about
 * association state or DIMSE.
 */
package io.dicomspanner.dicom.net.pdu;
