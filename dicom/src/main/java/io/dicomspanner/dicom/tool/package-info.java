/**
 * The {@code scripts/dicom} command-line tool operators use to check a PACS before adding it: {@code echo} (C-ECHO),
 * {@code find} (C-FIND, matches printed as one DICOM JSON array) and {@code probe} (which matching keys the PACS
 * applies, one line per key). Entry point {@link
 * io.dicomspanner.dicom.tool.DicomTool#main}.
 */
package io.dicomspanner.dicom.tool;
