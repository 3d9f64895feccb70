-- Over TLS, whether the worker checks that the PACS's certificate names the host it connects to. On by default;
-- off for a PACS reached by an address its certificate does not name (its certificate is still verified against
-- the trusted authorities).
ALTER TABLE dicom_source ADD COLUMN tls_verify_hostname boolean NOT NULL DEFAULT true;
