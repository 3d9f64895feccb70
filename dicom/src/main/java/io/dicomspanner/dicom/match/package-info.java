/**
 * C-FIND attribute matching (PS3.4 C.2.2.2) as one reusable function.
 *
 * <p>{@link io.dicomspanner.dicom.match.QueryMatcher} compiles a query identifier once and tells whether a candidate
 * record matches it; {@link io.dicomspanner.dicom.match.MatchOptions} carries the choices the standard leaves open
 * (PN case, combined date-time, empty and multiple value matching) and the
 * {@link io.dicomspanner.dicom.match.MissingValuePolicy} that separates the SCP role from the re-check role;
 * {@link io.dicomspanner.dicom.match.KeyValidator} checks one key value up front, with the same rules.
 */
package io.dicomspanner.dicom.match;
