// doseplan's browser calculator: builds the forms from the command line's
// own flags, runs each command through the WebAssembly build of the same
// code (doseplan.run), and shows its results. No framework: the page is a
// few forms and tables, and plain DOM calls keep it readable, dependency
// free and working from a USB stick. Every text from a result or a
// protocol goes in through textContent, never as HTML. Values are shown as
// the command line shows them (the response's display map); nothing here
// computes or rounds a clinical number.
'use strict';

(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  // el builds an element: attributes (text sets textContent), then children
  // (strings become text nodes; null and false are skipped).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    return add(e, ...children);
  }

  // add appends children to e, flattening lists and skipping null and false.
  function add(e, ...children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  const needsProtocol = (cmd) => ['dose', 'check', 'plan', 'lint'].includes(cmd);
  const state = { protocol: null, forms: {}, last: {} };

  // ---- Loading the WebAssembly ------------------------------------------

  async function wasmBytes() {
    try {
      const r = await fetch('doseplan.wasm');
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return await r.arrayBuffer();
    } catch (err) {
      // Opened from the disk (file://), where a page may not fetch: the
      // same program, gzipped in a script (doseplan.wasm.js).
      await new Promise((resolve, reject) => {
        const s = el('script', { src: 'doseplan.wasm.js' });
        s.onload = resolve;
        s.onerror = () => reject(new Error('neither doseplan.wasm nor doseplan.wasm.js could be read'));
        document.head.append(s);
      });
      const gz = Uint8Array.from(atob(window.doseplanWasmGzip), (c) => c.charCodeAt(0));
      const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
      return await new Response(stream).arrayBuffer();
    }
  }

  async function start() {
    const status = $('#status');
    const t0 = performance.now();
    try {
      const go = new Go();
      const ready = new Promise((resolve) => { window.doseplanReady = resolve; });
      const { instance } = await WebAssembly.instantiate(await wasmBytes(), go.importObject);
      go.run(instance);
      await ready;
    } catch (err) {
      status.textContent = 'The calculator could not start: ' + err.message;
      status.className = 'problem';
      return;
    }
    window.doseplanLoadMs = Math.round(performance.now() - t0);
    $('#version').textContent = window.doseplan.version;
    for (const f of JSON.parse(window.doseplan.forms())) {
      state.forms[f.command] = f;
      buildForm($('#form-' + f.command), f);
    }
    setupTabs();
    setupProtocol();
    status.textContent = 'Ready. Choose a protocol, then a calculation.';
    document.body.dataset.ready = 'true';
  }

  function call(req) {
    const files = needsProtocol(req.command) && state.protocol ? state.protocol.files : {};
    return JSON.parse(window.doseplan.run(JSON.stringify(req), files));
  }

  // disp shows a quantity of a document as the command line shows it.
  const disp = (resp, q) => (q === undefined || q === null ? '—' : (resp.display[q] || q));

  // ---- Protocol -----------------------------------------------------------

  function setupProtocol() {
    const sel = $('#example');
    const list = call({ command: 'protocols' });
    const doc = list.document;
    // No protocol is chosen until the user chooses one.
    sel.append(el('option', { value: '', text: 'Choose a protocol…' }));
    for (const p of doc.protocols) {
      sel.append(el('option', { value: p.use, text: `${p.title} — version ${p.version}` }));
    }
    sel.addEventListener('change', () => {
      $('#protocol-file').value = '';
      if (sel.value === '') {
        state.protocol = null;
        $('#protocol-info').replaceChildren();
        return;
      }
      useProtocol({ flag: sel.value, files: {}, label: 'example ' + sel.value.replace(/^example:/, '') });
    });
    $('#protocol-file').addEventListener('change', async (ev) => {
      const file = ev.target.files[0];
      if (!file) return;
      const bytes = new Uint8Array(await file.arrayBuffer());
      // The command line reads "example:NAME" and "-" itself; any other
      // name is the file given in memory.
      const name = /^(example:|-$)/.test(file.name) ? './' + file.name : file.name;
      sel.value = '';
      useProtocol({ flag: name, files: { [name]: bytes }, label: 'file ' + file.name });
    });
  }

  // useProtocol lints the protocol as it is chosen and shows its identity
  // and findings; the forms use it from then on.
  function useProtocol(p) {
    state.protocol = p;
    const resp = call({ command: 'lint', args: [{ field: 'protocol', value: p.flag }] });
    const info = $('#protocol-info');
    info.replaceChildren();
    const err = $('#protocol-file-err');
    err.hidden = true;
    const doc = resp.document || null;
    const lp = doc && doc.protocols && doc.protocols[0];
    if (!lp) {
      err.textContent = resp.errors.map((e) => e.message).join('\n');
      err.hidden = false;
      add(info, el('p', { class: 'problem', text: `The protocol (${p.label}) could not be read.` }));
      return;
    }
    if (lp.protocol) add(info, identity(lp.protocol, p.label));
    else add(info, el('dl', { class: 'identity' }, el('dt', { text: 'Protocol' }), el('dd', { text: p.label }),
      el('dt', { text: 'SHA-256' }), el('dd', {}, el('code', { 'data-value': 'sha256', text: lp.sha256 }))));
    const errors = lp.findings.filter((f) => f.severity === 'error');
    const heading = lp.findings.length === 0 ? 'Lint: no findings.'
      : `Lint: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${lp.findings.length - errors.length} warning${lp.findings.length - errors.length === 1 ? '' : 's'}` +
        (errors.length ? ' — the protocol cannot be used until they are fixed.' : ' — the protocol can be used; each warning is worth a reviewer\'s look.');
    add(info, el('p', { class: errors.length ? 'problem' : '', id: 'lint-summary', text: heading }));
    if (lp.findings.length) {
      add(info, el('ul', { class: 'findings', id: 'lint-findings' }, lp.findings.map((f) =>
        el('li', {}, el('span', { class: 'badge', text: f.severity === 'error' ? 'ERROR' : 'warning' }), ' ',
          el('code', { text: f.field }), ': ' + f.message))));
    }
  }

  function identity(prov, label) {
    return el('dl', { class: 'identity' },
      el('dt', { text: 'Protocol' }), el('dd', { 'data-value': 'protocol-name', text: prov.name }),
      el('dt', { text: 'Version' }), el('dd', { 'data-value': 'protocol-version', text: prov.version }),
      el('dt', { text: 'SHA-256' }), el('dd', {}, el('code', { 'data-value': 'sha256', text: prov.sha256 })),
      label ? [el('dt', { text: 'From' }), el('dd', { text: label })] : null);
  }

  // ---- Forms --------------------------------------------------------------

  function buildForm(form, spec) {
    const cmd = spec.command;
    form.replaceChildren(el('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true }));
    const groups = [];
    for (const f of [...(spec.args || []), ...spec.fields]) {
      let g = groups.find((x) => x.heading === f.heading);
      if (!g) groups.push(g = { heading: f.heading, fields: [] });
      g.fields.push(f);
    }
    for (const g of groups) {
      form.append(el('fieldset', {}, el('legend', { text: g.heading }),
        el('div', { class: 'fields' }, g.fields.map((f) => field(cmd, f)))));
    }
    form.append(el('button', { type: 'submit', text: form.dataset.submit }));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submit(cmd);
    });
    // The patient is the same in every form: what is typed in one is
    // copied to the others.
    form.addEventListener('input', (ev) => {
      const t = ev.target;
      if (!t.dataset.patient) return;
      for (const other of $$(`[data-patient][name="${t.name}"]`)) {
        if (other !== t) other.value = t.value;
      }
    });
  }

  function field(cmd, f) {
    const id = `${cmd}-${f.name}`;
    const hint = (f.flag ? `${f.flag}${f.arg ? ' ' + f.arg : ''}: ` : '') + f.usage + (f.repeatable ? ' — one per line' : '');
    const attrs = { id, name: f.name, 'aria-describedby': `${id}-hint ${id}-err`, 'aria-required': f.required ? 'true' : null, 'data-patient': f.heading === 'Patient' ? 'true' : null };
    let input;
    if (f.choices) {
      input = el('select', attrs, el('option', { value: '', text: '—' }), f.choices.map((c) => el('option', { value: c, text: c })));
    } else if (f.repeatable) {
      input = el('textarea', { ...attrs, rows: '2', spellcheck: 'false', autocomplete: 'off' });
    } else {
      input = el('input', { ...attrs, type: 'text', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off' });
    }
    return el('div', { class: 'field', 'data-field': f.name },
      el('label', { for: id }, f.label, f.required ? el('span', { class: 'req', text: ' (required)' }) : null),
      input,
      el('p', { class: 'hint', id: id + '-hint', text: hint }),
      el('p', { class: 'field-error', id: id + '-err', hidden: true }));
  }

  // request reads a form into a bridge request; extra flags come last.
  function request(cmd, extra = []) {
    const spec = state.forms[cmd];
    const form = $('#form-' + cmd);
    const req = { command: cmd, flags: [], args: [] };
    if (needsProtocol(cmd) && state.protocol) req.flags.push({ name: 'protocol', value: state.protocol.flag });
    for (const a of spec.args || []) req.args.push({ field: a.name, value: form.elements[a.name].value });
    for (const f of spec.fields) {
      const v = form.elements[f.name].value;
      if (f.repeatable) {
        for (const line of v.split('\n')) if (line.trim() !== '') req.flags.push({ name: f.name, value: line });
      } else if (v.trim() !== '') {
        req.flags.push({ name: f.name, value: v });
      }
    }
    req.flags.push(...extra);
    return req;
  }

  function clearErrors(cmd) {
    const form = $('#form-' + cmd);
    for (const e of $$('.field-error', form)) { e.hidden = true; e.textContent = ''; }
    for (const i of $$('[aria-invalid]', form)) i.removeAttribute('aria-invalid');
    const sum = $('.error-summary', form);
    sum.hidden = true;
    sum.replaceChildren();
  }

  // showErrors puts each refusal next to the first of its fields the form
  // has, and lists them all above the form.
  function showErrors(cmd, errors, extraRoot) {
    const form = $('#form-' + cmd);
    const sum = $('.error-summary', form);
    const items = [];
    for (const e of errors) {
      let input = null;
      for (const name of e.fields) {
        input = (extraRoot && extraRoot.querySelector(`[name="${name}"]`)) || form.elements[name] ||
          (name === 'protocol' ? $('#example') : null);
        if (input) break;
      }
      if (input) {
        const msg = $('#' + input.id + '-err');
        if (msg) {
          msg.textContent = msg.textContent ? msg.textContent + '\n' + e.message : e.message;
          msg.hidden = false;
        }
        input.setAttribute('aria-invalid', 'true');
        items.push(el('li', {}, el('a', { href: '#' + input.id, text: e.message })));
      } else {
        items.push(el('li', { text: e.message }));
      }
    }
    if (items.length) {
      sum.replaceChildren(el('h3', { text: errors.length === 1 ? 'There is a problem' : `There are ${errors.length} problems` }), el('ul', {}, items));
      sum.hidden = false;
      sum.focus();
    }
  }

  function submit(cmd, extra) {
    clearErrors(cmd);
    const resp = call(request(cmd, extra));
    state.last[cmd] = resp;
    render(cmd, resp);
    return resp;
  }

  // ---- Results ------------------------------------------------------------

  function render(cmd, resp) {
    const out = $('#result-' + cmd);
    out.replaceChildren();
    out.dataset.exit = resp.exit_code;
    const doc = resp.document || null;
    if (resp.exit_code === 1 || resp.exit_code === 2 || resp.exit_code === 3) {
      showErrors(cmd, resp.errors);
      const title = { 1: 'Refused: the input or the protocol', 2: 'Not calculated: the form needs correcting', 3: 'Refused by a hard limit: no result' }[resp.exit_code];
      add(out, el('div', { class: 'refused', id: cmd + '-refused' }, el('h3', { text: title }),
        el('ul', {}, resp.errors.map((e) => el('li', { text: e.message }))), commandLine(resp)));
      return;
    }
    const renderers = { dose: renderDose, check: renderCheck, plan: renderPlan, body: renderBody, convert: renderConvert };
    renderers[cmd](out, resp, doc);
  }

  const notice = () => el('p', { class: 'notice' }, el('strong', { text: 'For clinician verification — not a prescription' }));
  const commandLine = (resp) => el('p', { class: 'command' }, 'Command line: ', el('code', { 'data-value': 'command-line', text: resp.command_line }));
  const printButton = (what) => el('button', { type: 'button', class: 'secondary screen-only', 'data-print': 'true', text: 'Print ' + what });

  // card is a titled list of rows [label, content, key]: content is text or
  // nodes; a key marks text content as the value of that name
  // (data-value), which the browser tests read.
  function card(title, rows) {
    rows = rows.filter((r) => r && r[1] !== undefined && r[1] !== null && r[1] !== '' && r[1] !== false);
    if (!rows.length) return null;
    return el('div', { class: 'card' }, el('h4', { text: title }),
      el('dl', {}, rows.map(([k, v, key]) => [el('dt', { text: k }), el('dd', {}, key ? val(key, v) : v)])));
  }

  const val = (key, text) => el('span', { 'data-value': key, text });

  function patientLine(resp, p) {
    const parts = [disp(resp, p.weight)];
    if (p.height) parts.push(disp(resp, p.height));
    if (p.sex) parts.push(p.sex);
    if (p.age) parts.push('age ' + p.age);
    if (p.birth_date) parts.push('born ' + p.birth_date.slice(0, 10));
    return parts.join(', ');
  }

  // warningList shows review warnings with a form to acknowledge each (a
  // reason is required; it is recorded in the worksheet), and the
  // acknowledged ones with their reason.
  function warningList(cmd, resp, warnings) {
    const sec = el('section', { class: 'warnings-section', 'aria-label': 'Warnings' }, el('h4', { text: 'Warnings' }));
    if (!warnings.length) {
      add(sec, el('p', { text: 'none' }));
      return sec;
    }
    const ul = el('ul', { class: 'warnings' });
    warnings.forEach((w, i) => {
      const li = el('li', { 'data-warning': w.key, class: w.ack ? 'acknowledged' : '' },
        el('p', {}, el('span', { class: 'badge', text: w.ack ? 'ACKNOWLEDGED' : w.severity === 'review' ? 'NEEDS REVIEW' : 'note' }), ' ',
          el('code', { text: w.key }), ': ' + w.message + (w.where ? ` (${w.where})` : '')));
      if (w.ack) {
        add(li, el('p', { class: 'ack-reason', text: `Reason: ${w.ack.reason}` + (w.ack.by ? ` (${w.ack.by})` : '') }));
      } else if (w.severity === 'review') {
        const id = `${cmd}-ack-${i}`;
        const reason = el('input', { type: 'text', id, name: 'ack-reason', 'aria-describedby': `${id}-hint ${id}-err`, autocomplete: 'off' });
        const btn = el('button', { type: 'button', text: 'Acknowledge and recalculate' });
        btn.addEventListener('click', () => acknowledge(cmd, w.key, reason));
        reason.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); acknowledge(cmd, w.key, reason); } });
        add(li, el('div', { class: 'ack-form screen-only' },
          el('div', { class: 'field' }, el('label', { for: id, text: 'Reason for acknowledging (required)' }), reason,
            el('p', { class: 'hint', id: id + '-hint', text: `Recorded with the warning in the worksheet: --ack "${w.key}=REASON"` }),
            el('p', { class: 'field-error', id: id + '-err', hidden: true })),
          btn));
      }
      ul.append(li);
    });
    add(sec, ul);
    return sec;
  }

  function acknowledge(cmd, key, reason) {
    const err = $('#' + reason.id + '-err');
    if (reason.value.trim() === '') {
      err.textContent = 'A reason is required to acknowledge this warning; it is recorded in the worksheet.';
      err.hidden = false;
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    const acks = $('#form-' + cmd).elements.ack;
    acks.value = (acks.value.trim() === '' ? '' : acks.value.replace(/\n*$/, '\n')) + `${key}=${reason.value}`;
    submit(cmd);
    const out = $('#result-' + cmd);
    (out.querySelector('.ack-form input') || out.querySelector('h3') || out).focus();
  }

  function notes(doc) {
    const items = [...(doc.notes || []).map((n) => el('li', { text: n })),
      ...(doc.protocol_findings || []).map((f) => el('li', {}, el('span', { class: 'badge', text: 'protocol ' + f.severity }), ' ', el('code', { text: f.field }), ': ' + f.message))];
    return items.length ? el('section', { class: 'notes screen-only', 'aria-label': 'Notes' }, el('h4', { text: 'Notes' }), el('ul', {}, items)) : null;
  }

  // printout is what paper shows of a dose or a check: the identity, the
  // worksheet with every step, warnings and acknowledgements, the notice,
  // the command, and signature lines for the independent double check.
  function printout(title, resp, reviewLeft) {
    return [
      el('h4', { class: 'print-only print-title', text: title }),
      el('p', { class: 'notice print-only' }, el('strong', { text: 'For clinician verification — not a prescription' })),
      reviewLeft ? el('p', { class: 'print-only problem', text: `Needs review: ${reviewLeft} not acknowledged (see WARNINGS)` }) : null,
      el('h4', { class: 'screen-only', text: 'Worksheet' }),
      el('pre', { class: 'worksheet', 'data-value': 'worksheet', text: resp.text }),
      commandLine(resp),
      el('div', { class: 'signatures', 'aria-label': 'Signatures' },
        el('div', { text: 'Prepared by (name, signature)' }), el('div', { text: 'Date and time' }),
        el('div', { text: 'Checked by (independent double check)' }), el('div', { text: 'Date and time' })),
    ];
  }

  function withPrint(out, what) {
    const b = printButton(what);
    b.addEventListener('click', () => window.print());
    add(out, b);
  }

  function renderDose(out, resp, doc) {
    const r = doc.result;
    const warnings = r.warnings;
    const left = warnings.filter((w) => w.severity === 'review' && !w.ack).length;
    add(out, el('h3', { tabindex: '-1', text: 'Dose' + (left ? ' — needs review' : '') }), notice(), identity(r.provenance),
      el('dl', { class: 'identity' }, el('dt', { text: 'Patient' }), el('dd', { 'data-value': 'patient', text: patientLine(resp, r.patient) }),
        el('dt', { text: 'Drug' }), el('dd', { text: [r.drug, r.route].filter(Boolean).join(', ') })));
    const dw = r.dosing_weight;
    const cards = [
      card('Dose', [['Dose', disp(resp, r.dose), 'dose'],
        ['Per kg', r.dose_per_kg && [val('dose-per-kg', disp(resp, r.dose_per_kg)), dw && dw.used_for.length ? ' of the dosing weight' : ' of the actual weight']],
        ['Per kg actual', r.dose_per_kg_actual !== r.dose_per_kg && disp(resp, r.dose_per_kg_actual), 'dose-per-kg-actual'],
        ['Per m²', r.dose_per_m2 && disp(resp, r.dose_per_m2), 'dose-per-m2'],
        ['Requested', r.requested_dose !== r.dose && disp(resp, r.requested_dose), 'requested-dose'],
        ['Dosing weight', dw && [val('dosing-weight', disp(resp, dw.value)), ` (${dw.basis}): ${dw.reason}`]]]),
    ];
    if (r.form) {
      cards.push(card('Dose forms', [['Count', disp(resp, r.form.count), 'form-count'], ['Strength', disp(resp, r.form.strength), 'form-strength'],
        ['At', r.form.offsets && r.form.offsets.length > 1 && r.form.offsets.map((o) => disp(resp, o)).join(', ')]]));
    }
    const p = r.preparation;
    if (p) {
      cards.push(card('Preparation', [['Draw', [val('draw', disp(resp, p.draw)), ' of ', val('stock', disp(resp, p.stock))]],
        ['Container', p.container !== 'none' ? [p.container, p.diluent ? [', ', val('diluent', disp(resp, p.diluent))] : null] : 'none'],
        ['Method', p.method === 'withdraw' ? `withdraw ${disp(resp, p.withdraw)} of diluent, then add the drug` : p.method === 'add' && 'add the drug'],
        ['Final volume', disp(resp, p.final_volume), 'final-volume'], ['Final concentration', disp(resp, p.final_concentration), 'final-concentration']]));
    }
    const inf = r.infusion;
    if (inf) {
      cards.push(card('Pump settings', [['Pump rate', disp(resp, inf.pump_rate), 'pump-rate'], ['VTBI', disp(resp, inf.vtbi), 'vtbi'],
        ['Duration', disp(resp, inf.duration), 'duration'], ['Runs', disp(resp, inf.run_time), 'run-time'],
        ['Dose rate', [val('dose-rate', disp(resp, inf.dose_rate)), `, ${disp(resp, inf.dose_rate_mg_kg_h)}, ${disp(resp, inf.dose_rate_mcg_kg_min)}`]],
        ['Deviation', `${disp(resp, inf.dose_rate_deviation_pct)} from the intended ${disp(resp, inf.intended_dose_rate)}`],
        ['Loading', inf.loading && `${disp(resp, inf.loading.dose)} (${disp(resp, inf.loading.volume)}) at ${disp(resp, inf.loading.pump_rate)} over ${disp(resp, inf.loading.duration)}`],
        ['Drip', inf.drip && `${disp(resp, inf.drip.rate)} (set ${disp(resp, inf.drip.drop_factor)})`]]));
    }
    if (r.rounded && r.rounded.length) {
      cards.push(card('Rounding', r.rounded.map((x) => [x.field.replace(/_/g, ' '), `requested ${disp(resp, x.requested)} → gives ${disp(resp, x.gives)} (${disp(resp, x.deviation_pct)})`])));
    }
    add(out, el('div', { class: 'summary screen-only' }, cards), warningList('dose', resp, warnings), notes(doc),
      printout('Dose worksheet', resp, left));
    withPrint(out, 'the dose worksheet');
  }

  const limitWords = { hard_max: 'above the hard maximum', hard_min: 'below the hard minimum', soft_max: 'above the soft maximum', soft_min: 'below the soft minimum' };

  function renderCheck(out, resp, doc) {
    const c = doc.check;
    const warnings = c.expected ? c.expected.warnings : [];
    const left = warnings.filter((w) => w.severity === 'review' && !w.ack).length;
    add(out, el('h3', { tabindex: '-1', text: doc.matches ? 'Order check: the order matches' : 'Order check: MISMATCH' }), notice(), identity(c.provenance),
      el('dl', { class: 'identity' }, el('dt', { text: 'Patient' }), el('dd', { 'data-value': 'patient', text: patientLine(resp, c.patient) })),
      el('p', { class: 'verdict ' + (doc.matches ? 'match' : 'mismatch'), 'data-value': 'verdict', text: c.summary.trimEnd() }));
    const screen = el('div', { class: 'screen-only' });
    add(screen, el('h4', { text: 'The order against the protocol' }), el('div', { class: 'scroll' }, el('table', { id: 'check-fields' },
      el('thead', {}, el('tr', {}, ['Value', 'Ordered', 'Expected', 'Deviation', 'Tolerance', 'Verdict', 'Likely cause'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, c.fields.map((f) => el('tr', { 'data-field': f.field },
        el('th', { scope: 'row', text: f.field.replace(/_/g, ' ') }), el('td', { class: 'q', text: disp(resp, f.ordered) }), el('td', { class: 'q', text: disp(resp, f.expected) }),
        el('td', { text: f.deviation ? `${disp(resp, f.deviation)} (${disp(resp, f.deviation_pct)})` : '—' }), el('td', { text: '±' + disp(resp, f.tolerance) }),
        el('td', { class: f.verdict === 'mismatch' ? 'mismatch' : '', 'data-value': 'verdict-' + f.field, text: f.verdict === 'mismatch' ? '✗ MISMATCH' : f.verdict === 'match' ? '✓ match' : f.verdict }),
        el('td', { text: (f.causes || []).map((x) => `${x.kind.replace(/_/g, ' ')} (${x.factor})`).join('; ') || '—' })))))));
    if (c.implied.length) {
      add(screen, el('h4', { text: 'What the order gives as written' }), el('div', { class: 'scroll' }, el('table', { id: 'check-implied' },
        el('thead', {}, el('tr', {}, ['Value', 'Gives', 'Per kg', 'Limits', 'From'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, c.implied.map((v) => el('tr', {},
          el('th', { scope: 'row', text: v.value.replace(/_/g, ' ') }), el('td', { text: disp(resp, v.gives) }), el('td', { text: v.per_kg ? disp(resp, v.per_kg) : '—' }),
          el('td', { class: v.limits && v.limits.length ? 'mismatch' : '', text: v.limits && v.limits.length ? '✗ ' + v.limits.map((l) => `${disp(resp, l.value)} ${limitWords[l.kind] || l.kind} ${disp(resp, l.bound)} (${l.limit})`).join('; ') : 'within' }),
          el('td', { text: v.from.map((f) => f.formula).join('; ') })))))));
    }
    if (c.relations && c.relations.length) {
      add(screen, el('h4', { text: 'The order against itself' }), el('ul', {}, c.relations.map((x) =>
        el('li', { text: `${x.relation}: stated ${disp(resp, x.stated)}, derived ${disp(resp, x.derived)} — ${x.verdict === 'mismatch' ? '✗ MISMATCH' : '✓ ' + x.verdict}` }))));
    }
    if (c.likely_causes && c.likely_causes.length) {
      add(screen, el('h4', { text: 'Likely causes' }), el('ol', { id: 'check-causes' }, c.likely_causes.map((x) => el('li', { text: `${x.kind.replace(/_/g, ' ')}: ${x.where.join(', ')}` }))));
    }
    add(out, screen, warningList('check', resp, warnings), notes(doc), printout('Order check worksheet', resp, left));
    withPrint(out, 'the check worksheet');
  }

  const hhmm = (instant) => (instant ? instant.slice(11, 16) : '—');
  const weekday = (date) => ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(date + 'T00:00:00Z').getUTCDay()];

  function givenAs(resp, d) {
    if (d.infusion) return `${disp(resp, d.infusion.pump_rate)} × ${disp(resp, d.infusion.duration)}`;
    if (d.form) return `${disp(resp, d.form.count)} × ${disp(resp, d.form.strength)}`;
    return disp(resp, d.dose);
  }

  function renderPlan(out, resp, doc) {
    const pl = doc.plan;
    const sessions = pl.sessions;
    // Review warnings are per session; one acknowledgement covers each key.
    const byKey = new Map();
    for (const s of sessions) {
      for (const w of s.dose.warnings) {
        const k = w.key + (w.ack ? '+' : '');
        if (!byKey.has(k)) byKey.set(k, { ...w, sessions: [] });
        byKey.get(k).sessions.push(s.index);
      }
    }
    const warnings = [...byKey.values()].map((w) => ({ ...w, where: 'session' + (w.sessions.length > 1 ? 's ' : ' ') + w.sessions.join(', ') }));
    add(out, el('h3', { tabindex: '-1', text: `Plan: ${sessions.length} sessions` + (doc.needs_review ? ' — needs review' : '') }), notice(), identity(pl.protocol),
      el('dl', { class: 'identity' },
        el('dt', { text: 'Patient' }), el('dd', { 'data-value': 'patient', text: patientLine(resp, pl.patient) }),
        el('dt', { text: 'Calendar' }), el('dd', { text: `from ${pl.start}, ${pl.calendar.zone}, open ${pl.calendar.open.join(', ')}, at ${pl.calendar.starts.join(', ')}` }),
        el('dt', { text: 'Total' }), el('dd', { 'data-value': 'total', text: `${disp(resp, pl.total_dose)}: ${disp(resp, pl.decided_dose)} decided, ${disp(resp, pl.proposed_dose)} proposed (escalations not yet decided)` })));
    add(out, calendar(resp, pl));
    const table = el('table', { id: 'plan-sessions' },
      el('caption', { text: 'Sessions (▲ proposed: an escalation a clinician has not decided)' }),
      el('thead', {}, el('tr', {}, ['#', 'Phase', 'Date', 'Day', 'Start', 'Dose', 'Given as', 'End', 'Discharge', 'Notes'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, sessions.map((s) => el('tr', { class: s.proposed ? 'proposed' : '', 'data-session': s.index },
        el('th', { scope: 'row', text: String(s.index) }),
        el('td', { text: `${s.phase} ${s.number}/${s.of}` }),
        el('td', { class: 'q', text: s.date }), el('td', { text: weekday(s.date) }), el('td', { text: hhmm(s.start) }),
        el('td', { 'data-value': 'dose', text: disp(resp, s.dose.dose) + (s.proposed ? ' ▲ proposed' : '') }),
        el('td', { class: 'q', text: givenAs(resp, s.dose) }),
        el('td', { text: hhmm(s.timeline && s.timeline.end_of_administration) }), el('td', { text: hhmm(s.timeline && s.timeline.earliest_discharge) }),
        el('td', { text: [s.moved_from ? `moved from ${s.moved_from}: ` + (s.reasons || []).map((x) => `${x.date.slice(5)} ${x.detail}`).join(', ') : '', ...(s.warnings || [])].filter(Boolean).join('; ') })))));
    add(out, el('div', { class: 'scroll' }, table));
    add(out, warningList('plan', resp, warnings), notes({ protocol_findings: pl.protocol_findings }));
    // The iCalendar file is written by the same command with --ics, in
    // memory, and saved as a download: nothing goes over the network.
    const idIn = el('input', { type: 'text', id: 'plan-plan-id', name: 'plan-id', 'aria-describedby': 'plan-plan-id-hint plan-plan-id-err', autocomplete: 'off' });
    const dl = el('button', { type: 'button', id: 'plan-ics', text: 'Download the iCalendar file (.ics)' });
    const box = el('section', { class: 'screen-only', 'aria-label': 'iCalendar download' }, el('h4', { text: 'Calendar file' }),
      el('div', { class: 'field' }, el('label', { for: 'plan-plan-id', text: 'Plan reference (required for the calendar file)' }), idIn,
        el('p', { class: 'hint', id: 'plan-plan-id-hint', text: '--plan-id ID: the patient\'s record number or another reference; the events\' UIDs derive from it, so a new download updates the same events.' }),
        el('p', { class: 'field-error', id: 'plan-plan-id-err', hidden: true })), dl);
    dl.addEventListener('click', () => downloadICS(box, idIn));
    add(out, box, el('h4', { text: 'The plan as the command line prints it' }), el('pre', { class: 'worksheet', 'data-value': 'worksheet', text: resp.text }), commandLine(resp));
    withPrint(out, 'the plan');
  }

  function downloadICS(box, idIn) {
    for (const e of $$('.field-error', box)) { e.hidden = true; e.textContent = ''; }
    idIn.removeAttribute('aria-invalid');
    const name = 'doseplan-plan.ics';
    const extra = [{ name: 'ics', value: name }, { name: 'plan-id', value: idIn.value }, { name: 'stamp', value: 'now' }];
    clearErrors('plan');
    const resp = call(request('plan', extra));
    if (!resp.files || !resp.files[name]) {
      showErrors('plan', resp.errors, box);
      return;
    }
    const url = URL.createObjectURL(new Blob([resp.files[name]], { type: 'text/calendar' }));
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    window.doseplanLastICS = resp.files[name];
  }

  // calendar lays the sessions out on month grids (Monday first), with the
  // clinic's closed days and each proposed session marked in words.
  function calendar(resp, pl) {
    const byDate = new Map(pl.sessions.map((s) => [s.date, s]));
    const closed = new Map((pl.calendar.closed || []).map((c) => [c.date, c.name || 'closed']));
    const first = pl.sessions.length ? pl.sessions[0].date : pl.start;
    const last = pl.sessions.length ? pl.sessions[pl.sessions.length - 1].date : pl.start;
    const wrap = el('div', { class: 'calendar', role: 'group', 'aria-label': 'Calendar' });
    let y = +first.slice(0, 4);
    let m = +first.slice(5, 7);
    const endKey = +last.slice(0, 4) * 12 + +last.slice(5, 7);
    const pad = (n) => String(n).padStart(2, '0');
    for (; y * 12 + m <= endKey; m === 12 ? (m = 1, y++) : m++) {
      const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
      const lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
      const monthName = new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' });
      const rows = [];
      let cells = [];
      for (let i = 0; i < lead; i++) cells.push(el('td', { class: 'outside' }));
      for (let d = 1; d <= days; d++) {
        const date = `${y}-${pad(m)}-${pad(d)}`;
        const s = byDate.get(date);
        const cl = closed.get(date);
        const td = el('td', { class: s ? (s.proposed ? 'session proposed' : 'session') : cl ? 'closed' : '', 'data-date': date },
          el('span', { class: 'day', text: String(d) }));
        if (s) {
          add(td, el('span', { class: 'mark', text: `#${s.index} ${hhmm(s.start)}` }), el('br'), disp(resp, s.dose.dose));
          if (s.proposed) add(td, el('br'), el('span', { class: 'mark', text: '▲ proposed' }));
        } else if (cl) {
          add(td, el('span', { text: 'closed: ' + cl }));
        }
        cells.push(td);
        if (cells.length === 7) { rows.push(el('tr', {}, cells)); cells = []; }
      }
      if (cells.length) {
        while (cells.length < 7) cells.push(el('td', { class: 'outside' }));
        rows.push(el('tr', {}, cells));
      }
      wrap.append(el('table', {}, el('caption', { text: `${monthName} ${y}` }),
        el('thead', {}, el('tr', {}, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((w) => el('th', { scope: 'col', text: w })))),
        el('tbody', {}, rows)));
    }
    return wrap;
  }

  function renderBody(out, resp, doc) {
    const left = doc.warnings.filter((w) => w.severity === 'review' && !w.ack).length;
    const val = (b) => (b.value ? disp(resp, b.value) : `unavailable: ${b.unavailable}`);
    const rows = [['Body mass index', val(doc.bmi), 'bmi'],
      ...doc.bsa.map((b) => [`Body surface area, ${b.formula}`, val(b), 'bsa-' + b.formula]),
      ...doc.ibw.map((b) => [`Ideal body weight, ${b.formula}`, val(b), 'ibw-' + b.formula]),
      ...(doc.adjusted_bw || []).map((b) => [`Adjusted body weight, ${b.formula}`, val(b), 'abw-' + b.formula]),
      ...(doc.lean_bw || []).map((b) => [`Lean body weight, ${b.formula}`, val(b), 'lbw-' + b.formula])];
    add(out, el('h3', { tabindex: '-1', text: 'Body size' + (left ? ' — needs review' : '') }), notice(),
      el('dl', { class: 'identity' }, el('dt', { text: 'Patient' }), el('dd', { 'data-value': 'patient', text: patientLine(resp, doc.patient) })),
      el('div', { class: 'summary' }, card('Body size', rows)), warningList('body', resp, doc.warnings),
      el('h4', { text: 'Worksheet' }), el('pre', { class: 'worksheet', 'data-value': 'worksheet', text: resp.text }), commandLine(resp));
    withPrint(out, 'the body size');
  }

  function renderConvert(out, resp, doc) {
    add(out, el('h3', { tabindex: '-1', text: 'Conversion' }), notice(),
      el('p', { class: 'big' }, `${doc.input} = `, el('strong', { 'data-value': 'result', text: doc.display })),
      doc.steps.length ? el('ol', {}, doc.steps.map((s) => el('li', { text: `${s.left} ${s.operation} ${s.right} = ${disp(resp, s.result)}` + (s.given ? ` (${s.given}: ${s.why})` : '') }))) : null,
      el('h4', { text: 'Worksheet' }), el('pre', { class: 'worksheet', 'data-value': 'worksheet', text: resp.text }), commandLine(resp));
  }

  // ---- Tabs ---------------------------------------------------------------

  function setupTabs() {
    const tabs = $$('[role="tab"]');
    const select = (tab, focus) => {
      for (const t of tabs) {
        const on = t === tab;
        t.setAttribute('aria-selected', String(on));
        t.tabIndex = on ? 0 : -1;
        const panel = document.getElementById(t.getAttribute('aria-controls'));
        panel.hidden = !on;
        panel.classList.toggle('active', on);
      }
      if (focus) tab.focus();
    };
    tabs.forEach((t, i) => {
      t.addEventListener('click', () => select(t, false));
      t.addEventListener('keydown', (ev) => {
        const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
        if (next === undefined) return;
        ev.preventDefault();
        select(tabs[(next + tabs.length) % tabs.length], true);
      });
    });
  }

  // The browser tests drive the page through the same functions.
  window.doseplanPage = { submit, useProtocol, request };

  start();
})();
