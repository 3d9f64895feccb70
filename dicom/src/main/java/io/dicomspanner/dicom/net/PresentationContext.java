package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.TransferSyntax;

/** An accepted presentation context: the ID both sides use in PDVs, its abstract syntax and its transfer syntax. */
public record PresentationContext(int id, String abstractSyntax, TransferSyntax transferSyntax) {}
