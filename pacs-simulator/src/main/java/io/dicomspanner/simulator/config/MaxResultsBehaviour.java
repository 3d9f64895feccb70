package io.dicomspanner.simulator.config;

/** What a PACS with a max-results cap does with a query that matches more than the cap. */
public enum MaxResultsBehaviour {
    /**
     * Sends the first matches up to the cap, then ends with status FE00 (Matching terminated due to Cancel request)
     * although nobody cancelled: what Orthanc does when a query exceeds its {@code LimitFindResults}.
     */
    TRUNCATE,
    /**
     * Sends no match and ends with status C000 (Unable to process, "Request entity too large"), unless the query level's
     * unique key holds a value: what dcm4chee-arc does when a query exceeds its {@code dcmQueryMaxNumberOfResults}.
     */
    REFUSE
}
