// rules-panel.js: a switch for each of the engine's teaching rules, with
// a line on what it does; the safety rules are marked. Switching one acts
// on the cluster ("rule NAME on|off"); the switches follow the rules the
// simulator reports, so a scenario's own rule lines show up here.

import { h, show } from './dom.js';
import { t, lang } from './i18n.js';
import { tables } from './narrate.js';
import { call } from './engine.js';

// ruleName is a rule's name in the glossary, beside its code name, on a
// page not in English (on an English page the code name says it).
function ruleName(name) {
  const own = lang !== 'en' && tables[lang] && tables[lang]['rule.' + name];
  return own ? h('span', { class: 'rw-rulename' }, own) : null;
}

export class RulesPanel {
  constructor(host) {
    this.host = host;
    this.inputs = new Map();
    this.err = h('p', { class: 'rw-err', role: 'alert', hidden: true });
    const list = h('ul', { class: 'rw-rules' });
    const rules = call('rules');
    for (const r of Array.isArray(rules) ? rules : []) {
      const input = h('input', { type: 'checkbox', role: 'switch', 'data-rule': r.name });
      input.checked = r.default;
      input.addEventListener('change', () => {
        const ok = this.host.act(`rule ${r.name} ${input.checked ? 'on' : 'off'}`, this.err);
        if (!ok) input.checked = !input.checked;
      });
      this.inputs.set(r.name, input);
      list.append(h('li', null,
        h('label', { class: 'rw-switch' }, input, h('span', { class: 'rw-track', 'aria-hidden': 'true' }),
          h('code', null, r.name), ruleName(r.name),
          r.safety ? h('span', { class: 'rw-badge' }, t('safetyRule')) : null),
        h('small', null, t('r-' + r.name))));
    }
    this.el = h('div', { class: 'rw-rulespanel' }, h('p', { class: 'rw-muted' }, t('rulesHelp')), list, this.err);
  }

  update(rules, allowed) {
    for (const [name, input] of this.inputs) {
      if (name in rules && input.checked !== rules[name]) input.checked = rules[name];
      input.disabled = !allowed;
      input.title = allowed ? '' : this.host.whyNot();
    }
  }

  reset() {
    show(this.err, false);
  }
}
