// narrate-zh.js: the event list in Simplified Chinese. The engine narrates
// in English only (raft/sim/narrate.go; its WebAssembly has no room for a
// second language), and sends each trace record's structured fields along
// with the English text. narrateZh writes the same sentence from those
// fields, naming the same rule and citing the same section of the paper.
// It returns '' for a record it cannot narrate; the caller then shows the
// English text.
//
// The fields (see writeRecord in wasm/bridge/state.go) leave out zero and
// empty values: a missing number is 0, a missing role is follower.

const S = id => 'S' + id;

// num reads a numeric field that may have been left out as zero.
const num = (rec, k) => rec[k] ?? 0;

// quote writes a client command much as the English narration does (Go's
// strconv.Quote): in straight double quotes, with escapes.
const quote = cmd => JSON.stringify(cmd);

export function narrateZh(rec) {
  try {
    switch (rec.kind) {
      case 'event': return eventZh(rec);
      case 'action': return actionZh(rec);
      case 'lost': return lostZh(rec);
      case 'violation': return violationZh(rec);
      case 'engine-error':
        return `引擎拒绝了 ${S(rec.from)} 发给 ${S(rec.to)} 的一条 ${rec.what} 消息：${rec.error ?? ''}。这是 raftplay 的 Raft 引擎的缺陷，而不是这次运行的问题。`;
    }
  } catch (e) {
    // A record of an unexpected shape: the English text will do.
  }
  return '';
}

// ---- Actions ----

// The rules by their names in the Rules tab, with their Chinese names.
const RULES = {
  'election-restriction': '选举限制',
  'current-term-commit': '当前任期提交',
  'randomized-timeouts': '随机超时',
  'persist-vote': '投票持久化',
  'fast-backtrack': '快速回退',
  'leader-noop': '领导者空条目',
  'prevote': '预投票',
  'check-quorum': '法定人数检查',
};

// pct writes a rate as a percentage with at most three significant
// digits, like the English narration.
const pct = r => String(Number((r * 100).toPrecision(3))) + '%';

function actionZh(rec) {
  const s = S(rec.server);
  const from = S(rec.from), to = S(rec.to);
  switch (rec.what) {
    case 'timeout':
      return `你让 ${s} 超时了：它立即开始一次选举。`;
    case 'propose':
      if (!rec.server) return `客户端把命令 ${quote(rec.cmd ?? '')} 发给领导者。`;
      return `客户端把命令 ${quote(rec.cmd ?? '')} 发给 ${s}。`;
    case 'crash':
      if (rec.before) return `${s} 将在下一步崩溃：那一步的状态会写入磁盘，但消息一条也发不出去。`;
      return `${s} 崩溃了。磁盘上的 currentTerm、votedFor 和日志都保留着，其余的一切都丢失了。`;
    case 'restart':
      return `${s} 从磁盘上保存的状态重新启动，成为跟随者，状态机是空的。`;
    case 'partition': {
      const sides = (rec.groups ?? []).map(g => g.map(S).join(' '));
      return `网络发生分区：${sides.join(' | ')}。`;
    }
    case 'isolate':
      return `${s} 与其他所有服务器断开了联系。`;
    case 'link-down':
      return `从现在起，${from} 发给 ${to} 的消息都会丢失。`;
    case 'link-up':
      return `${from} 发给 ${to} 的消息又能送达了。`;
    case 'heal':
      return '网络恢复了：每台服务器都能联系到其他所有服务器。';
    case 'drop':
      return `从现在起，网络会丢失 ${pct(num(rec, 'rate'))} 的消息。`;
    case 'duplicate':
      return `从现在起，网络会把 ${pct(num(rec, 'rate'))} 的消息重复投递。`;
    case 'latency': {
      const lo = num(rec, 'min'), hi = num(rec, 'max');
      return `现在每条消息要 ${lo === hi ? lo : lo + '–' + hi} 毫秒才能送达。`;
    }
    case 'drop-next':
      return `${from} 发给 ${to} 的下一条消息会丢失。`;
    case 'rule': {
      const zh = RULES[rec.rule];
      const name = zh ? `${rec.rule}（${zh}）` : rec.rule + ' ';
      return `规则 ${name}已${rec.on ? '打开' : '关闭'}。`;
    }
    case 'timer':
      return `${s} 的选举计时器将在 ${num(rec, 'delay')} 毫秒后到期。`;
    case 'drop-message':
      return '你丢弃了一条正在传输的消息。';
  }
  return '';
}

// ---- Lost messages ----

function describeMsg(rec) {
  const head = `${S(rec.from)} 发给 ${S(rec.to)} 的`;
  switch (rec.msg) {
    case 'AppendEntries': return rec.heartbeat ? head + '心跳' : head + ' AppendEntries ';
    case 'RequestVote': return head + ' RequestVote ';
    case 'PreVote': return head + ' PreVote ';
  }
  return head + '回复';
}

function lostZh(rec) {
  const what = describeMsg(rec);
  switch (rec.loss) {
    case 'cut': return `${what}丢失了：它们之间的网络断开了。`;
    case 'random': return `${what}被不可靠的网络丢掉了。`;
    case 'receiver-down': return `${what}丢失了：${S(rec.to)} 已崩溃。`;
    case 'drop-next': return `${what}按你的要求被丢弃了。`;
    case 'by-hand': return `${what}被手动丢弃了。`;
    case 'sender-crashed': return `${what}根本没有发出：${S(rec.from)} 先崩溃了。`;
  }
  return `${what}丢失了。`;
}

// ---- Events ----

// range writes "条目 3" or "条目 3–5".
const range = (lo, hi) => lo === hi ? `条目 ${lo}` : `条目 ${lo}–${hi}`;

// sp adds the space that separates a trailing number from the Chinese
// text that follows it.
const sp = x => /[0-9A-Za-z"]$/.test(x) ? x + ' ' : x;

// entryList names the entries of an event as the English does: each one
// with its command and term when there are at most three, else their
// range.
function entryList(rec) {
  const es = rec.entries;
  if (!es || !es.length) return '';
  if (rec.count) return range(es[0][0], es[0][0] + rec.count - 1);
  const parts = es.map(([i, t, cmd]) => cmd === null ? `${i}（空条目，任期 ${t}）` : `${i} ${quote(cmd)}（任期 ${t}）`);
  return '条目 ' + parts.join('、');
}

function eventZh(rec) {
  const s = S(rec.node), p = S(rec.peer);
  const term = num(rec, 'term');
  const role = rec.role ?? 'follower';
  switch (rec.what) {
    case 'timeout':
      if (role === 'candidate') {
        return `${s} 的选举计时器再次到期，任期 ${term} 仍没有选出胜者（分裂投票，或消息丢失）：它再试一次（§5.2）。`;
      }
      return `${s} 在选举计时器到期之前没有收到领导者的任何消息（§5.2）。`;
    case 'became-follower':
      switch (rec.reason) {
        case 'restart': return `${s} 以任期 ${term} 的跟随者身份启动。`;
        case 'higher-term': return `${s} 看到了更新的任期 ${term}，转为跟随者（§5.1）。`;
        case 'leader-seen': return `${s} 收到了本任期（任期 ${term}）领导者 ${p} 的消息，停止竞选（§5.2）。`;
        case 'two-leaders':
          return `${s} 是任期 ${term} 的领导者，却收到了同一任期的另一个领导者 ${p} 的消息：选举安全性被破坏了。${s} 退位。`;
        case 'quorum-lost': return `${s} 在一个选举超时内都没有收到多数派的消息，主动退位（法定人数检查）。`;
      }
      return `${s} 成为任期 ${term} 的跟随者。`;
    case 'became-precandidate':
      return `${s} 在发起选举之前，先询问自己能否赢得任期 ${term + 1}（预投票）。`;
    case 'became-candidate': {
      const why = rec.reason === 'forced' ? '是你让它这么做的'
        : rec.reason === 'prevote-won' ? '多数派表示它能赢' : '它的选举计时器到期了';
      return `${s} 成为任期 ${term} 的候选人（${why}），给自己投一票，并请求其他服务器投票给它（§5.2）。`;
    }
    case 'became-leader':
      return `${s} 以 ${num(rec, 'votes')} 票赢得任期 ${term} 的选举，成为领导者（§5.2）。`;
    case 'vote-granted':
    case 'vote-denied':
      return voteZh(rec);
    case 'vote-received':
      return `${s} 计入 ${p} 的${rec.pre ? '预投票' : '选票'}：目前共 ${num(rec, 'votes')} 票。`;
    case 'appended': {
      const es = rec.entries ?? [];
      if (role === 'leader') {
        if (es.length === 1 && !rec.count && es[0][2] === null) {
          return `${s} 在索引 ${num(rec, 'index')} 处追加一个属于新任期的空条目（leader-noop，§8）。`;
        }
        const list = entryList(rec);
        return list && `${s} 把${sp(list)}追加到自己的日志中。`;
      }
      const list = entryList(rec);
      return list && `${s} 追加了来自领导者的${list}。`;
    }
    case 'truncated': {
      const list = entryList(rec);
      if (!list) return '';
      const one = (rec.entries.length === 1 && !rec.count);
      let msg = `${s} 删除了${list}：${one ? '它' : '它们'}与领导者的日志冲突（§5.3）。`;
      if (rec.committed) msg += one ? '这个条目已经提交过，安全的 Raft 绝不允许这样。' : '其中有条目已经提交过，安全的 Raft 绝不允许这样。';
      return msg;
    }
    case 'append-rejected': {
      const idx = num(rec, 'index');
      switch (rec.reason) {
        case 'missing-prev': {
          const own = num(rec, 'ownIndex');
          const ends = own ? `它的日志只到索引 ${own}` : '它的日志是空的';
          return `${s} 拒绝了 ${p} 的 AppendEntries：它在索引 ${idx} 处没有条目（${ends}；一致性检查，§5.3）。`;
        }
        case 'prev-mismatch':
          return `${s} 拒绝了 ${p} 的 AppendEntries：它在索引 ${idx} 处的条目属于任期 ${num(rec, 'ownTerm')}，而不是 ${num(rec, 'prevTerm')}（一致性检查，§5.3）。`;
      }
      return `${s} 拒绝了 ${p} 的 AppendEntries。`;
    }
    case 'committed': {
      const rng = range(num(rec, 'index'), num(rec, 'last'));
      switch (rec.reason) {
        case 'majority':
          return `${s} 提交了${rng}：已存储在多数派上，并且属于它的当前任期（§5.3，§5.4.2）。`;
        case 'majority-any-term':
          return `${s} 统计了一个更早任期条目的副本数，据此提交了${rng}：当前任期提交规则已关闭，这正是 Figure 8 中的错误。`;
      }
      return `${s} 从领导者那里得知${sp(rng)}已提交。`;
    }
    case 'applied': {
      const list = entryList(rec);
      return list && `${s} 把${sp(list)}应用到自己的状态机。`;
    }
    case 'proposed':
      return `${s} 把这条命令存为条目 ${num(rec, 'index')}，并立即发给各个跟随者。`;
    case 'proposal-rejected':
      if (!rec.peer) return `${s} 不是领导者，也不知道谁是领导者：客户端只能另找服务器。`;
      return `${s} 不是领导者；它让客户端去找 ${p}。`;
    case 'backed-up': {
      const msg = `${s} 把 ${p} 的 nextIndex 从 ${num(rec, 'last')} 退回到 ${num(rec, 'index')}`;
      if (rec.reason === 'hint') return `${msg}，借助跟随者的提示一次跳过整个冲突的任期（快速回退）。`;
      return `${msg}，每次只退一个条目（§5.3）。`;
    }
    case 'commit-held':
      return `${s} 看到条目 ${num(rec, 'index')}（任期 ${num(rec, 'entryTerm')}）已在多数派上，但不提交它：它不属于当前任期 ${term}（§5.4.2）。`;
    case 'stale-message':
      return `${s} 忽略了 ${p} 发来的一条旧任期的消息（§5.1）。`;
  }
  return '';
}

function voteZh(rec) {
  const s = S(rec.node), p = S(rec.peer);
  const pre = !!rec.pre;
  // A pre-vote is about the term the pre-candidate asks for.
  const term = pre || rec.reason === 'stale-term' ? num(rec, 'asked') : num(rec, 'term');
  if (rec.what === 'vote-granted') {
    const grant = pre ? `${s} 在预投票中支持 ${p} 竞选任期 ${term}` : `${s} 把任期 ${term} 的选票投给 ${p}`;
    switch (rec.reason) {
      case 'rule-off':
        return `${grant}，尽管 ${p} 的日志不如自己的新：选举限制已关闭。`;
      case 'same-candidate':
        return pre ? `${s} 在预投票中再次支持 ${p}（它在本任期已经选了 ${p}）。`
          : `${s} 再次把选票投给 ${p}（它在本任期已经选了 ${p}）。`;
    }
    return `${grant}：${p} 的日志至少和自己的一样新（§5.4.1）。`;
  }
  const base = pre ? `${s} 在预投票中拒绝支持 ${p}：` : `${s} 拒绝投票给 ${p}：`;
  switch (rec.reason) {
    case 'already-voted': {
      // It voted for itself as a candidate, or for another server.
      const whom = rec.voted === rec.node ? '自己' : ' ' + S(rec.voted);
      return `${base}它在任期 ${num(rec, 'term')} 已经投给了${whom}（每个任期只投一票，§5.2）。`;
    }
    case 'log-older-term':
      return `${base}${p} 的最后日志任期 ${num(rec, 'candTerm')} 比 ${s} 的 ${num(rec, 'ownTerm')} 旧（选举限制，§5.4.1）。`;
    case 'log-shorter':
      return `${base}两者最后日志任期相同，但 ${p} 的日志只到索引 ${num(rec, 'candIndex')}，比 ${s} 的 ${num(rec, 'ownIndex')} 短（选举限制，§5.4.1）。`;
    case 'leader-alive':
      return `${base}它最近刚收到过领导者的消息（预投票）。`;
    case 'stale-term':
      return `${base}它已处在任期 ${num(rec, 'term')}，任期 ${term} 对它来说不是新任期。`;
  }
  return '';
}

// ---- Violations ----

const INVARIANTS = {
  'election-safety': '选举安全性',
  'leader-append-only': '领导者只追加',
  'log-matching': '日志匹配',
  'leader-completeness': '领导者完整性',
  'state-machine-safety': '状态机安全性',
  'term-monotonic': '任期只增不减',
  'commit-monotonic': '提交索引只增不减',
};

// A violation's fields hold its servers, index and term; the few other
// numbers its English detail gives (an old term, an old commitIndex, the
// term of a missing entry, the entries two servers applied) are read from
// the English text, written by raft/sim/invariants.go. If that fails, the
// sentence leaves them out.
function violationZh(rec) {
  const name = INVARIANTS[rec.what];
  if (!name) return '';
  return `安全性被破坏：${name}。${violationDetailZh(rec)}。`;
}

// violationDetailZh says what was seen, in Chinese: rec holds what (the
// invariant), servers, index, term and text (the English detail, with or
// without its full stop). The safety banner uses it too.
export function violationDetailZh(rec) {
  const sv = (rec.servers ?? []).map(S);
  const idx = num(rec, 'index'), term = num(rec, 'term');
  const text = rec.text ?? '';
  let detail;
  switch (rec.what) {
    case 'election-safety':
      detail = `任期 ${term} 出现了两个领导者：${sv[0]} 和 ${sv[1]}`;
      break;
    case 'leader-append-only':
      detail = `领导者 ${sv[0]} 删除了自己从索引 ${idx} 开始的条目`;
      break;
    case 'log-matching':
      detail = `${sv[0]} 和 ${sv[1]} 在索引 ${idx} 处都有任期 ${term} 的条目，但到这里为止两份日志并不相同`;
      break;
    case 'leader-completeness': {
      const m = /committed at index \d+ \(term (\d+)\)\.?$/.exec(text);
      detail = `任期 ${term} 的领导者 ${sv[0]} 缺少索引 ${idx} 处已提交的条目` + (m ? `（任期 ${m[1]}）` : '');
      break;
    }
    case 'state-machine-safety': {
      const q = '("(?:[^"\\\\]|\\\\.)*"|noop)';
      const m = new RegExp(`applied \\d+/(\\d+) ${q} at index \\d+ where S\\d applied \\d+/(\\d+) ${q}\\.?$`).exec(text);
      if (m) {
        const entry = (cmd, t) => (cmd === 'noop' ? '空条目' : ' ' + cmd) + `（任期 ${t}）`;
        detail = `${sv[1]} 在索引 ${idx} 处应用了${entry(m[2], m[1])}，而 ${sv[0]} 在同一索引处应用的是${entry(m[4], m[3])}`;
      } else {
        detail = `${sv[1]} 和 ${sv[0]} 在索引 ${idx} 处应用了不同的条目`;
      }
      break;
    }
    case 'term-monotonic': {
      const m = /term went down from (\d+) to \d+\.?$/.exec(text);
      detail = m ? `${sv[0]} 的任期从 ${m[1]} 降到了 ${term}` : `${sv[0]} 的任期降到了 ${term}`;
      break;
    }
    case 'commit-monotonic': {
      const m = /commitIndex went down from (\d+) to \d+\.?$/.exec(text);
      detail = m ? `${sv[0]} 的 commitIndex 从 ${m[1]} 降到了 ${idx}` : `${sv[0]} 的 commitIndex 降到了 ${idx}`;
      break;
    }
  }
  return detail || '';
}
