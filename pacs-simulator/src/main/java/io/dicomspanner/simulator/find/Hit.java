package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.simulator.data.PacsPatient;
import io.dicomspanner.simulator.data.SeriesRecord;
import io.dicomspanner.simulator.data.StudyCopy;

/**
 * An entity that matched its level's keys, with the entities above it and the values of the requested keys of its
 * level and the levels above ({@code record}). Below the level of the entity, the fields are {@code null} or 0.
 */
final class Hit {
    final QueryLevel level;
    final PacsPatient patient;
    final StudyCopy study;
    final SeriesRecord series;
    final int instanceNumber;
    final Attributes record;

    Hit(
            QueryLevel level,
            PacsPatient patient,
            StudyCopy study,
            SeriesRecord series,
            int instanceNumber,
            Attributes record) {
        this.level = level;
        this.patient = patient;
        this.study = study;
        this.series = series;
        this.instanceNumber = instanceNumber;
        this.record = record;
    }
}
