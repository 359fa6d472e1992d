// check.js answers UCUM questions for doseplan's tests with a real UCUM
// implementation (@lhncbc/ucum-lhc). It reads one request per line on
// standard input and writes one JSON object per line on standard output:
//
//   validate CODE            -> {"code": CODE, "valid": true|false, "ucum": "...", "msg": [...]}
//   convert VALUE FROM TO    -> {"from": FROM, "to": TO, "value": VALUE, "ok": true|false, "result": "...", "msg": [...]}
//
// It exits 0 when every request was answered (valid or not): the Go test
// decides what is a failure. It is a test tool only, never part of the library.
'use strict';
const ucum = require('@lhncbc/ucum-lhc');
const utils = ucum.UcumLhcUtils.getInstance();

const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines) {
  if (line.trim() === '') continue;
  const f = line.trim().split(/\s+/);
  if (f[0] === 'validate' && f.length === 2) {
    const r = utils.validateUnitString(f[1], false);
    out.push({ code: f[1], valid: r.status === 'valid', ucum: r.ucumCode || '', msg: r.msg || [] });
  } else if (f[0] === 'convert' && f.length === 4) {
    const r = utils.convertUnitTo(f[2], Number(f[1]), f[3]);
    out.push({ from: f[2], to: f[3], value: f[1], ok: r.status === 'succeeded',
      result: r.toVal === null || r.toVal === undefined ? '' : String(r.toVal), msg: r.msg || [] });
  } else {
    process.stderr.write('check.js: cannot read request ' + JSON.stringify(line) + '\n');
    process.exit(2);
  }
}
process.stdout.write(out.map((o) => JSON.stringify(o)).join('\n') + (out.length ? '\n' : ''));
