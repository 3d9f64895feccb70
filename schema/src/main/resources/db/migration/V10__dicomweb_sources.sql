-- A source is either a DIMSE PACS (asked with C-FIND, as every source before) or a DICOMweb archive asked over
-- QIDO-RS. A DICOMweb source keeps ae_title (the Retrieve AE Title its studies are named under), and host and port
-- are those of its base URL; its other DIMSE columns keep their defaults and are not used.
ALTER TABLE dicom_source ADD COLUMN protocol text NOT NULL DEFAULT 'dimse' CHECK (protocol IN ('dimse', 'dicomweb'));
-- The QIDO-RS base (http or https), without a trailing slash.
ALTER TABLE dicom_source ADD COLUMN base_url text;
ALTER TABLE dicom_source ADD COLUMN auth_type text CHECK (auth_type IN ('none', 'basic', 'bearer'));
ALTER TABLE dicom_source ADD COLUMN auth_username text;
-- The basic password or the inline bearer token, sealed with the deployment's data key (AES-256-GCM, the format of
-- common-model's Sealer): never stored or shown in clear.
ALTER TABLE dicom_source ADD COLUMN auth_secret bytea;
-- A bearer token kept in a file on the workers' hosts instead (a path, no secret).
ALTER TABLE dicom_source ADD COLUMN auth_token_file text;
ALTER TABLE dicom_source ADD COLUMN page_size integer CHECK (page_size > 0);
-- What the archive supports of QIDO-RS's optional parameters.
ALTER TABLE dicom_source ADD COLUMN includefield_all boolean NOT NULL DEFAULT false;
ALTER TABLE dicom_source ADD COLUMN fuzzymatching boolean NOT NULL DEFAULT false;
ALTER TABLE dicom_source ADD COLUMN limit_offset boolean NOT NULL DEFAULT true;
ALTER TABLE dicom_source ADD CONSTRAINT dicom_source_dicomweb_check CHECK (
    (protocol = 'dicomweb') = (base_url IS NOT NULL AND auth_type IS NOT NULL AND page_size IS NOT NULL));

-- A mapping names the kind of source it points at: a DIMSE source ('modality') or a DICOMweb one ('dicomweb'), both
-- rows of dicom_source.
ALTER TABLE source_mapping DROP CONSTRAINT source_mapping_source_type_check;
ALTER TABLE source_mapping ADD CONSTRAINT source_mapping_source_type_check
    CHECK (source_type IN ('modality', 'dicomweb'));
