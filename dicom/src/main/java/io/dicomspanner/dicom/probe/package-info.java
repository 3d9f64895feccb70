/**
 * The matching-capability probe: which C-FIND matching keys a source really applies, found by asking it.
 *
 * <p>{@link io.dicomspanner.dicom.probe.MatchingProbe} runs the probe over any {@link
 * io.dicomspanner.dicom.probe.MatchingProbe.Finder} (one C-FIND in the Study Root model, all its matches); {@link
 * io.dicomspanner.dicom.probe.PeerFinder} is the finder over this module's {@link io.dicomspanner.dicom.net.DicomClient}.
 * For each key the probe sends a value the sample record does not hold (a source that still returns the sample ignores
 * the key) and the sample's own value (a source that does not return it matches otherwise than PS3.4 C.2.2.2 says).
 * Either way the key is "not matched", and a spanner must check it itself on what that source returns.
 */
package io.dicomspanner.dicom.probe;
