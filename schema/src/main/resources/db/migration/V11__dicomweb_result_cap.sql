-- The most results a DICOMweb archive gives for one search whatever its paging (Orthanc's LimitFindResults); 0 when
-- it has no cap. A search that yields this many is split by the worker until each part yields fewer.
ALTER TABLE dicom_source ADD COLUMN max_results integer NOT NULL DEFAULT 0 CHECK (max_results >= 0);
-- Workers asked every DICOMweb archive with relational searches (/series, /instances without a study) whatever
-- relational_queries said; they now honour it, so the archives registered so far keep the searches they had.
UPDATE dicom_source SET relational_queries = true WHERE protocol = 'dicomweb';
