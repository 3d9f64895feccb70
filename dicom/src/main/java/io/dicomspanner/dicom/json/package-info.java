/**
 * The DICOM JSON model of PS3.18 Annex F, both ways, on jackson-core's streaming API.
 *
 * <p>{@link io.dicomspanner.dicom.json.DicomJsonWriter} turns data sets into JSON (one object, an array, or an array
 * streamed with {@link io.dicomspanner.dicom.json.DicomJsonArrayWriter} while results arrive); a
 * {@link io.dicomspanner.dicom.json.BulkDataPolicy} may replace binary values with BulkDataURIs.
 * {@link io.dicomspanner.dicom.json.DicomJsonReader} reads the model back, with a
 * {@link io.dicomspanner.dicom.json.BulkDataResolver} for BulkDataURIs, and refuses documents that break it with a
 * {@link io.dicomspanner.dicom.json.DicomJsonException} naming the attribute.
 *
 * <p>Proof: for every pydicom sample that dcmtk's dcm2json converts, the writer's JSON means the same as dcm2json's
 * (DicomJsonAgainstDcm2jsonTest, which documents the few systematic dcm2json differences it normalises), the reader
 * reads dcm2json's JSON without losing a value, and data set &rarr; JSON &rarr; data set is the identity.
 */
package io.dicomspanner.dicom.json;
