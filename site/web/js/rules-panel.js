// rules-panel.js: a switch for each of the engine's teaching rules, with
// a line on what it does. Raft's own rules come first, the safety rules
// marked; the implementation mistakes follow in a group of their own:
// each is the correct behaviour, and switching it off makes the mistake,
// which its row then says. Switching one acts on the cluster
// ("rule NAME on|off"); the switches follow the rules the simulator
// reports, so a scenario's own rule lines show up here.

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

let panels = 0;

export class RulesPanel {
  constructor(host) {
    this.host = host;
    this.inputs = new Map();
    const uid = 'rw-rules' + ++panels;
    this.err = h('p', { class: 'rw-err', role: 'alert', hidden: true });
    const raft = h('ul', { class: 'rw-rules' });
    const mistakes = h('ul', { class: 'rw-rules' });
    const rules = call('rules');
    for (const r of Array.isArray(rules) ? rules : []) {
      const mistake = r.kind === 'mistake';
      const input = h('input', { type: 'checkbox', role: 'switch', 'data-rule': r.name, 'aria-describedby': `${uid}-${r.name}` });
      input.checked = r.default;
      input.addEventListener('change', () => {
        const ok = this.host.act(`rule ${r.name} ${input.checked ? 'on' : 'off'}`, this.err);
        if (!ok) input.checked = !input.checked;
      });
      this.inputs.set(r.name, input);
      (mistake ? mistakes : raft).append(h('li', mistake ? { 'data-mistake': '' } : null,
        h('label', { class: 'rw-switch', title: mistake ? t('mistakeTip') : null },
          input, h('span', { class: 'rw-track', 'aria-hidden': 'true' }),
          h('span', { class: 'rw-ruletitle' }, h('code', null, r.name), ruleName(r.name),
            mistake ? h('span', { class: 'rw-made' }, t('mistakeMade'))
              : r.safety ? h('span', { class: 'rw-badge' }, t('safetyRule')) : null)),
        h('small', { id: `${uid}-${r.name}` }, t('r-' + r.name))));
    }
    const group = (name, title, help, list) => list.children.length ? h('div', { role: 'group', class: 'rw-rulegroup', 'data-group': name, 'aria-labelledby': `${uid}-${name}`, 'aria-describedby': `${uid}-${name}-help` },
      h('h4', { id: `${uid}-${name}` }, title), h('p', { class: 'rw-muted', id: `${uid}-${name}-help` }, help), list) : null;
    this.el = h('div', { class: 'rw-rulespanel' },
      group('raft', t('rulesRaft'), t('rulesHelp'), raft),
      group('mistakes', t('rulesMistakes'), t('rulesMistakesHelp'), mistakes),
      this.err);
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
