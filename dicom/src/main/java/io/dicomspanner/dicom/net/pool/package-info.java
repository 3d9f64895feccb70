/**
 * {@link io.dicomspanner.dicom.net.pool.AssociationPool}: associations reused per peer with a hard per-peer maximum, a
 * bounded queue of waiting callers, idle release, and replacement of broken associations.
 */
package io.dicomspanner.dicom.net.pool;
