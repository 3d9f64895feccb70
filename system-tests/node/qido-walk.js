// Walks one patient's studies, their series and the series' instances through a DICOMweb QIDO-RS service with the
// third-party client dicomweb-client, as a viewer would, and prints what it read as JSON on stdout:
//   {"studies": [{"StudyInstanceUID": ..., "series": [{"SeriesInstanceUID": ..., "instances": [SOPInstanceUID, ...]}]}]}
// Usage: node qido-walk.js <qido-base-url> <patient-id>, the API key in the environment variable SPANNER_API_KEY
// (sent as "Authorization: Api-Key <key>"). A failed request ends the script with exit code 1, its status on stderr.
'use strict';

// dicomweb-client speaks XMLHttpRequest, which Node does not have; xhr2 provides it.
global.XMLHttpRequest = require('xhr2');
const { api } = require('dicomweb-client');

const STUDY_INSTANCE_UID = '0020000D';
const SERIES_INSTANCE_UID = '0020000E';
const SOP_INSTANCE_UID = '00080018';

function uidOf(record, tag) {
  const element = record[tag];
  if (!element || !Array.isArray(element.Value) || element.Value.length !== 1) {
    throw new Error('record without exactly one value of ' + tag + ': ' + JSON.stringify(record));
  }
  return element.Value[0];
}

async function main() {
  const [url, patientId] = process.argv.slice(2);
  const apiKey = process.env.SPANNER_API_KEY;
  if (!url || !patientId || !apiKey) {
    throw new Error('usage: SPANNER_API_KEY=<key> node qido-walk.js <qido-base-url> <patient-id>');
  }
  const client = new api.DICOMwebClient({ url, headers: { Authorization: 'Api-Key ' + apiKey }, verbose: false });
  const studies = [];
  for (const study of await client.searchForStudies({ queryParams: { PatientID: patientId } })) {
    const studyInstanceUID = uidOf(study, STUDY_INSTANCE_UID);
    const series = [];
    for (const oneSeries of await client.searchForSeries({ studyInstanceUID })) {
      const seriesInstanceUID = uidOf(oneSeries, SERIES_INSTANCE_UID);
      const instances = await client.searchForInstances({ studyInstanceUID, seriesInstanceUID });
      series.push({
        SeriesInstanceUID: seriesInstanceUID,
        instances: instances.map((instance) => uidOf(instance, SOP_INSTANCE_UID)),
      });
    }
    studies.push({ StudyInstanceUID: studyInstanceUID, series });
  }
  process.stdout.write(JSON.stringify({ studies }) + '\n');
}

main().catch((error) => {
  const status = error.status === undefined ? '' : 'HTTP ' + error.status + ' ';
  const body = error.response === undefined ? '' : ' ' + JSON.stringify(error.response);
  process.stderr.write('qido-walk failed: ' + status + error.message + body + '\n');
  process.exit(1);
});
