import { createContext, useContext } from "react";
import { ApiError } from "./api";

export type Lang = "zh-CN" | "en";

const en = {
  appName: "Pingyi console",
  rankings: "Rankings",
  whatIf: "What-if",
  robustness: "Robustness",
  rules: "Rules",
  events: "Vetoes and bonuses",
  logout: "Log out",
  role: "Role",
  "role.viewer": "viewer",
  "role.analyst": "analyst",
  "role.admin": "administrator",
  "login.title": "Sign in",
  "login.help":
    "Paste a bearer token. In development the gateway prints an administrator token when it starts; `pingyi token analyst alice` mints others.",
  "login.token": "Token",
  "login.submit": "Sign in",
  "login.bad": "This is not a Pingyi token (it needs a role claim: viewer, analyst or admin).",
  "login.expired": "Your session ended; sign in again.",
  "login.refused":
    "The gateway refused this token: it is mistyped, expired, or was issued by another gateway. Ask for a new one.",
  cycle: "Cycle",
  group: "Group",
  allGroups: "All groups",
  rank: "Rank",
  unit: "Unit",
  total: "Total",
  grade: "Grade",
  flags: "Flags",
  notRanked: "not ranked",
  loading: "Loading…",
  error: "Error",
  "error.staleCursor":
    "The data changed while it was being read, several times in a row (an import may be running). Try again in a moment.",
  "error.unreachable":
    "The console cannot reach the gateway. Check your network connection, or whether the gateway is running, and try again.",
  "error.rateLimited": "Too many requests in a short time. Wait a moment and try again.",
  "error.rateLimitedSeconds": "Too many requests in a short time. Wait {seconds} seconds and try again.",
  "error.rateLimitedOneSecond": "Too many requests in a short time. Wait 1 second and try again.",
  "error.unavailable":
    "The gateway is not available right now (it may be restarting). Try again in a moment.",
  "error.unknown": "Something unexpected went wrong. Try again; if it keeps happening, contact support.",
  "crash.title": "This page stopped working.",
  "crash.hint": "Reload the page, or open another page from the menu above.",
  "crash.reload": "Reload page",
  "crash.details": "Details for support",
  "crash.retry": "Try again",
  exportCsv: "Export CSV",
  exportXlsx: "Export XLSX",
  compare: "Compare",
  compareHint: "Tick two units to compare them.",
  close: "Close",
  breakdown: "Breakdown",
  explanation: "Explanation",
  category: "Category",
  points: "Points",
  maxPoints: "Max",
  deducted: "Deducted",
  adjustments: "Adjustments",
  "compare.other": "Roll-ups, floor and rounding",
  eligibility: "Eligibility",
  eligibleExcellence: "Eligible for excellence",
  eligibleAward: "Eligible for award",
  yes: "yes",
  no: "no",
  difference: "Difference (A − B)",
  status: "Status",
  "flag.BONUS": "bonus",
  "flag.DEDUCTED": "deductions",
  "flag.INSUFFICIENT": "insufficient",
  "flag.LAST_RANKED": "last ranked",
  "flag.NOT_ELIGIBLE_FOR_AWARD": "no award",
  "flag.NOT_ELIGIBLE_FOR_EXCELLENCE": "no excellence",
  "flag.VETO": "veto",
  forbidden: "Your role ({role}) may not open this page; it needs {needed}.",
  "whatif.knobs": "Scenario",
  "whatif.categoryPoints": "Category points",
  "whatif.quota": "Excellent quota",
  "whatif.rounding": "Total decimals",
  "whatif.roundingMode": "Rounding mode",
  "whatif.reset": "Reset",
  "whatif.save": "Save and share",
  "whatif.saved": "Saved. Share this link:",
  "whatif.name": "Scenario name",
  "whatif.baseline": "Baseline",
  "whatif.scenario": "Scenario",
  "whatif.movement": "Rank movement (baseline → scenario)",
  "whatif.gradeChanged": "grade changed",
  "whatif.why": "Why did {unit} move?",
  "whatif.swaps": "Who overtook whom",
  "whatif.overtook": "{a} overtook {b}",
  "whatif.part": "Part",
  "whatif.delta": "Change",
  "whatif.part.bonus": "Bonus",
  "whatif.part.total-deductions": "Deductions from the total",
  "whatif.part.total-rounding-and-floor": "Total rounding and floor",
  "whatif.unavailable":
    "The gateway does not offer what-if runs yet (no `whatIf` field in its schema). The view will work once it does.",
  "whatif.noChanges": "No unit moved.",
  "whatif.pickUnit": "Click a unit in the table or chart to see why it moved.",
  "whatif.restored": "Your settings for this cycle were restored. “Reset” returns to the scheme's own.",
  "whatif.notApplied": "Not applied: the ranking uses {value}.",
  "whatif.stale": "Out of date: these results are for the previous settings, not the ones above.",
  "robust.sweep": "Weight sweep",
  "robust.from": "from",
  "robust.to": "to",
  "robust.ends":
    "[ ] the end belongs to the stretch, ( ) it does not: at a breakpoint, the row whose bracket is square holds.",
  "robust.run": "Run",
  "robust.stable.rankGrade": "Rank {rank} and grade {grade} hold for {category} points in {interval}.",
  "robust.stable.rank": "Rank {rank} holds for {category} points in {interval}.",
  "robust.stable.grade": "Grade {grade} holds for {category} points in {interval}.",
  "robust.stable.standing": "The nominal rank and grade hold for {category} points in {interval}.",
  "robust.stable.outside":
    "No stretch where the nominal rank and grade hold: the nominal {nominal} {category} points lie outside the swept range, {from} to {to}.",
  "robust.stable.noTotal":
    "No stretch where the nominal rank and grade hold: this unit has no total to sweep.",
  "robust.others": "Other categories",
  "robust.othersFixed": "other categories fixed",
  "robust.othersRescale": "other categories rescaled to keep the total",
  "robust.othersTransfer": "transfer from…",
  "robust.donor": "Category that gives the points",
  "robust.breakpoints": "Breakpoints",
  "robust.mc": "Monte-Carlo rank intervals",
  "robust.samples": "Samples",
  "robust.seed": "Seed",
  "robust.concentration": "Dirichlet concentration",
  "robust.median": "median rank",
  "robust.interval": "5th–95th percentile",
  "robust.nominal": "nominal rank",
  "robust.nominalPoints": "scheme's points",
  "robust.col.name": "Unit",
  "robust.col.nominalRank": "Rank",
  "robust.col.medianRank": "Median rank",
  "robust.col.p5Rank": "5th pct.",
  "robust.col.p95Rank": "95th pct.",
  "robust.col.pExcellent": "P(excellent)",
  "robust.col.pLast": "P(last)",
  "robust.pExcellentTitle":
    "Share of the samples in which the unit got {grade}, the scheme's first grade (quota, threshold and vetoes applied).",
  "robust.pExcellentNone": "The scheme grades no unit: no sample gives a first grade.",
  "robust.pLastTitle": "Share of the samples in which the unit was ranked last in its group.",
  "robust.loo": "Leave one category out",
  "robust.looRescale": "scale the other categories up to keep the total",
  "robust.looMeanShift": "Mean rank change",
  "robust.looMeanShiftTitle":
    "With this category at 0 points: how many places a ranked unit moves, on average over every group's units (up or down alike).",
  "robust.looUnitsMoved": "Units moved",
  "robust.looPoints": "Points of each category in that run",
  "robust.looWithout": "without {category}",
  "robust.looCaption":
    "Each cell: the unit's rank with that category left out, and its change from the official rank (↓ fell, ↑ rose, = kept). Point at a cell for the change of its total.",
  "field.required": "Required.",
  "field.notNumber": "Not a number.",
  "field.notInteger": "Must be a whole number.",
  "field.outOfRange": "Must be {range}.",
  "field.notDecimal": "Must be a decimal such as 37.5, with at most 9 digits before and after the point.",
  "field.default": "default",
  "robust.unavailable": "The gateway does not offer {field} yet; this chart will appear once it does.",
  "robust.notReproduced":
    "At the scheme's own points the sampling model does not give back every official rank (near-ties it cannot tell apart): read these intervals with care.",
  "events.vetoes": "Vetoes (一票否决)",
  "events.bonuses": "Bonuses (加分)",
  "events.readOnlyFinalised": "This cycle is finalised: its events can no longer be recorded or deleted.",
  "events.readOnlyRole": "Only administrators record or delete events; you are signed in as {role}.",
  "events.noVetoes": "No veto is recorded in this cycle.",
  "events.noBonuses": "No bonus is recorded in this cycle.",
  "events.id": "Id",
  "events.vetoType": "Veto type",
  "events.bonusType": "Bonus type",
  "events.level": "Level",
  "events.levelPoints": "{level} ({points} points)",
  "events.reason": "Reason",
  "events.note": "Note",
  "events.delete": "Delete",
  "events.delete.veto": "Delete veto",
  "events.delete.bonus": "Delete bonus",
  "events.confirmDelete.veto": "Delete veto {id}? The ranking is computed again without it.",
  "events.confirmDelete.bonus": "Delete bonus {id}? The ranking is computed again without it.",
  "events.recordVeto": "Record a veto",
  "events.recordBonus": "Record a bonus",
  "events.record": "Record",
  "events.correct": "Correct",
  "events.replaces": "An event with id {id} exists: recording replaces it.",
  "events.recorded.veto": "Veto {id} recorded.",
  "events.recorded.bonus": "Bonus {id} recorded.",
  "events.noVetoTypes": "This cycle's scheme version declares no veto types: no veto can be recorded.",
  "events.noBonusTypes": "This cycle's scheme version declares no bonus types: no bonus can be recorded.",
  "rules.scheme": "Scheme",
  "rules.history": "Version history",
  "rules.version": "Version",
  "rules.author": "Author",
  "rules.reason": "Reason",
  "rules.date": "Date",
  "rules.diff": "Differences",
  "rules.diffFrom": "from version",
  "rules.diffTo": "to version",
  "rules.path": "Path",
  "rules.before": "Before",
  "rules.after": "After",
  "rules.noDiff": "The two versions are identical.",
  "rules.draft": "Draft (based on version {v})",
  "rules.editLatest": "Edit latest as draft",
  "rules.preview": "Validate and preview impact",
  "rules.previewCycle": "on cycle",
  "rules.publish": "Publish",
  "rules.publishReason": "Reason for the change (required)",
  "rules.published": "Published version {v}.",
  "rules.conflict":
    "Someone published a newer version meanwhile. Reload the latest version, re-apply your edit and publish again.",
  "rules.conflictCreated":
    "This draft is based on no version, but the scheme already has versions: a new one must be based on the latest. Reload the latest version, re-apply your edit and publish again.",
  "rules.reload": "Reload latest",
  "rules.restored":
    "Your unpublished draft (based on version {v}) was restored. “Edit latest as draft” discards it.",
  "rules.jsonError": "Not valid JSON: {message}",
  "rules.valid": "The server accepted the draft.",
  "rules.change.ADDED": "added",
  "rules.change.CHANGED": "changed",
  "rules.change.REMOVED": "removed",
  "rules.causes": "Causes",
  "rules.maximum": "Maximum total: {before} → {after}",
  "rules.maximumSame": "Maximum total: {max} (unchanged)",
  "rules.maximumChanged":
    "The points no longer add up to the maximum they did: every total and grade threshold will read against the new one. Make sure this is what was decided.",
  "rules.unchanged":
    "Nothing to publish: the draft's rules are those of version {v} (its `version` and `$schema` are not rules).",
  "rules.issues": "The draft has these problems:",
  "rules.issueAt": "{path} (line {line}): {message}",
  "rules.issueAtNoLine": "{path}: {message}",
  "rules.wholeDraft": "the draft",
  "rules.previewFirst": "Preview the draft as it is now before publishing it.",
  "rules.issuesStale":
    "These problems were found in an earlier text of the draft, before your last edits: validate again to check this one.",
  // Live updates of the Rankings page (live-updates.ts): the gateway's `reason` of each update.
  "live.updated": "Ranking updated: {reason}",
  "live.updatedOther": "Ranking updated",
  "live.reason.score": "a score was set or removed",
  "live.reason.finding": "an inspection finding was recorded or removed",
  "live.reason.rectification": "a rectification was recorded",
  "live.reason.import": "records were imported, or an import removed",
  "live.reason.unit": "a unit was added, changed or removed",
  "live.reason.group": "a comparability group was added, changed or removed",
  "live.reason.veto": "a veto (一票否决) was recorded or removed",
  "live.reason.bonus": "a bonus (加分) was recorded or removed",
  "live.reason.scheme": "the cycle was moved to another scheme version",
  "live.reason.finalised": "the cycle was finalised",
  "live.reason.resync": "read again after the gateway lost its database connection",
};

type Key = keyof typeof en;

const zh: Record<Key, string> = {
  appName: "评议 控制台",
  rankings: "排名",
  whatIf: "情景分析",
  robustness: "稳健性",
  rules: "规则",
  events: "一票否决与加分",
  logout: "退出",
  role: "角色",
  "role.viewer": "查看者",
  "role.analyst": "分析员",
  "role.admin": "管理员",
  "login.title": "登录",
  "login.help":
    "粘贴访问令牌（Bearer token）。开发环境下网关启动时会打印管理员令牌；其他令牌可用 `pingyi token analyst alice` 生成。",
  "login.token": "令牌",
  "login.submit": "登录",
  "login.bad": "这不是评议的令牌（需要 role 声明：viewer、analyst 或 admin）。",
  "login.expired": "会话已结束，请重新登录。",
  "login.refused": "网关拒绝了此令牌：令牌有误、已过期，或由其他网关签发。请重新获取令牌。",
  cycle: "考评周期",
  group: "可比组",
  allGroups: "全部组",
  rank: "名次",
  unit: "单位",
  total: "总分",
  grade: "等次",
  flags: "标记",
  notRanked: "不排名",
  loading: "加载中…",
  error: "错误",
  "error.staleCursor": "读取期间数据多次变化（可能正在导入数据），请稍后重试。",
  "error.unreachable": "无法连接到网关。请检查网络连接或网关是否正在运行，然后重试。",
  "error.rateLimited": "短时间内请求过多，请稍候再试。",
  "error.rateLimitedSeconds": "短时间内请求过多，请于 {seconds} 秒后再试。",
  "error.rateLimitedOneSecond": "短时间内请求过多，请于 1 秒后再试。",
  "error.unavailable": "网关暂时不可用（可能正在重启），请稍后重试。",
  "error.unknown": "发生了意外错误。请重试；如果问题持续，请联系技术支持。",
  "crash.title": "此页面出错，无法继续显示。",
  "crash.hint": "请重新加载页面，或从上方菜单打开其他页面。",
  "crash.reload": "重新加载页面",
  "crash.details": "详细信息（供技术支持）",
  "crash.retry": "重试",
  exportCsv: "导出 CSV",
  exportXlsx: "导出 XLSX",
  compare: "对比",
  compareHint: "勾选两个单位进行对比。",
  close: "关闭",
  breakdown: "得分明细",
  explanation: "计算说明",
  category: "类别",
  points: "得分",
  maxPoints: "满分",
  deducted: "扣分",
  adjustments: "加减分",
  "compare.other": "下级汇总、保底与舍入",
  eligibility: "评优资格",
  eligibleExcellence: "可评优秀",
  eligibleAward: "可获奖励",
  yes: "是",
  no: "否",
  difference: "差值 (A − B)",
  status: "状态",
  "flag.BONUS": "加分",
  "flag.DEDUCTED": "扣分",
  "flag.INSUFFICIENT": "样本不足",
  "flag.LAST_RANKED": "末位",
  "flag.NOT_ELIGIBLE_FOR_AWARD": "不得评奖",
  "flag.NOT_ELIGIBLE_FOR_EXCELLENCE": "不得评优",
  "flag.VETO": "一票否决",
  forbidden: "您的角色（{role}）无权打开此页面，需要{needed}权限。",
  "whatif.knobs": "情景",
  "whatif.categoryPoints": "类别分值",
  "whatif.quota": "优秀名额",
  "whatif.rounding": "总分小数位",
  "whatif.roundingMode": "舍入方式",
  "whatif.reset": "重置",
  "whatif.save": "保存并分享",
  "whatif.saved": "已保存。分享链接：",
  "whatif.name": "情景名称",
  "whatif.baseline": "基准",
  "whatif.scenario": "情景",
  "whatif.movement": "名次变动（基准 → 情景）",
  "whatif.gradeChanged": "等次变化",
  "whatif.why": "{unit} 为何变动？",
  "whatif.swaps": "名次超越",
  "whatif.overtook": "{a} 超过 {b}",
  "whatif.part": "组成",
  "whatif.delta": "变化",
  "whatif.part.bonus": "加分",
  "whatif.part.total-deductions": "总分扣分",
  "whatif.part.total-rounding-and-floor": "总分舍入及保底",
  "whatif.unavailable": "网关尚未提供情景分析（其模式中没有 `whatIf` 字段）。提供后此页面即可使用。",
  "whatif.noChanges": "没有单位名次变动。",
  "whatif.pickUnit": "点击表格或图中的单位，查看其变动原因。",
  "whatif.restored": "已恢复您在本考评周期的情景设置。点击“重置”可回到方案原值。",
  "whatif.notApplied": "未应用：排名仍按 {value} 计算。",
  "whatif.stale": "已过时：以下结果对应先前的设置，而非上方的当前设置。",
  "robust.sweep": "权重扫描",
  "robust.from": "从",
  "robust.to": "到",
  "robust.ends": "[ ] 含该端点，( ) 不含：在断点处，以方括号一侧的那一行为准。",
  "robust.run": "运行",
  "robust.stable.rankGrade": "“{category}”分值在 {interval} 内，名次 {rank}、等次 {grade} 保持不变。",
  "robust.stable.rank": "“{category}”分值在 {interval} 内，名次 {rank} 保持不变。",
  "robust.stable.grade": "“{category}”分值在 {interval} 内，等次 {grade} 保持不变。",
  "robust.stable.standing": "“{category}”分值在 {interval} 内，实际名次和等次保持不变。",
  "robust.stable.outside": "无稳定区间：“{category}”的实际分值 {nominal} 不在扫描范围（{from} 到 {to}）内。",
  "robust.stable.noTotal": "无稳定区间：该单位没有总分，未参与扫描。",
  "robust.others": "其他类别",
  "robust.othersFixed": "其他类别分值不变",
  "robust.othersRescale": "其他类别按比例调整（总分不变）",
  "robust.othersTransfer": "从…转移",
  "robust.donor": "转出分值的类别",
  "robust.breakpoints": "转折点",
  "robust.mc": "蒙特卡洛名次区间",
  "robust.samples": "样本数",
  "robust.seed": "随机种子",
  "robust.concentration": "狄利克雷集中度",
  "robust.median": "名次中位数",
  "robust.interval": "第 5–95 百分位",
  "robust.nominal": "实际名次",
  "robust.nominalPoints": "现行分值",
  "robust.col.name": "单位",
  "robust.col.nominalRank": "名次",
  "robust.col.medianRank": "名次中位数",
  "robust.col.p5Rank": "第 5 百分位",
  "robust.col.p95Rank": "第 95 百分位",
  "robust.col.pExcellent": "P(优秀)",
  "robust.col.pLast": "P(末位)",
  "robust.pExcellentTitle":
    "该单位获评“{grade}”（方案的第一个等次，已计名额、分数线和一票否决）的样本所占比例。",
  "robust.pExcellentNone": "该方案不评定等次：没有样本给出第一等次。",
  "robust.pLastTitle": "该单位在本组排名末位的样本所占比例。",
  "robust.loo": "逐一剔除类别",
  "robust.looRescale": "其他类别按比例放大（总分不变）",
  "robust.looMeanShift": "平均名次变动",
  "robust.looMeanShiftTitle": "将该类别分值设为 0 时，各组参与排名的单位平均变动的名次数（升降均计）。",
  "robust.looUnitsMoved": "名次变动单位数",
  "robust.looPoints": "该次计算中各类别的分值",
  "robust.looWithout": "剔除“{category}”",
  "robust.looCaption":
    "每格为剔除该类别后单位的名次及其相对实际名次的变化（↓ 下降，↑ 上升，= 不变）。指向单元格可查看总分变化。",
  "field.required": "必填。",
  "field.notNumber": "不是数字。",
  "field.notInteger": "须为整数。",
  "field.outOfRange": "须为 {range}。",
  "field.notDecimal": "须为小数，如 37.5，小数点前后各至多 9 位。",
  "field.default": "默认",
  "robust.unavailable": "网关尚未提供 {field}；提供后此图即可显示。",
  "robust.notReproduced":
    "在方案原分值下，抽样模型未能复现全部实际名次（有无法区分的近似并列）：请谨慎解读这些区间。",
  "events.vetoes": "一票否决",
  "events.bonuses": "加分",
  "events.readOnlyFinalised": "本考评周期已定稿：不能再记录或删除事项。",
  "events.readOnlyRole": "只有管理员可以记录或删除事项；您当前的角色是{role}。",
  "events.noVetoes": "本周期没有一票否决事项。",
  "events.noBonuses": "本周期没有加分事项。",
  "events.id": "编号",
  "events.vetoType": "否决类型",
  "events.bonusType": "加分类型",
  "events.level": "级别",
  "events.levelPoints": "{level}（{points} 分）",
  "events.reason": "事由",
  "events.note": "备注",
  "events.delete": "删除",
  "events.delete.veto": "删除一票否决事项",
  "events.delete.bonus": "删除加分事项",
  "events.confirmDelete.veto": "删除一票否决事项 {id}？排名将不计此事项重新计算。",
  "events.confirmDelete.bonus": "删除加分事项 {id}？排名将不计此事项重新计算。",
  "events.recordVeto": "记录一票否决事项",
  "events.recordBonus": "记录加分事项",
  "events.record": "记录",
  "events.correct": "更正",
  "events.replaces": "编号为 {id} 的事项已存在：记录将替换它。",
  "events.recorded.veto": "已记录一票否决事项 {id}。",
  "events.recorded.bonus": "已记录加分事项 {id}。",
  "events.noVetoTypes": "本周期的评分方案版本未规定一票否决类型，无法记录一票否决事项。",
  "events.noBonusTypes": "本周期的评分方案版本未规定加分类型，无法记录加分事项。",
  "rules.scheme": "评分方案",
  "rules.history": "版本历史",
  "rules.version": "版本",
  "rules.author": "发布人",
  "rules.reason": "修改理由",
  "rules.date": "日期",
  "rules.diff": "版本差异",
  "rules.diffFrom": "从版本",
  "rules.diffTo": "到版本",
  "rules.path": "路径",
  "rules.before": "修改前",
  "rules.after": "修改后",
  "rules.noDiff": "两个版本相同。",
  "rules.draft": "草稿（基于第 {v} 版）",
  "rules.editLatest": "以最新版本为草稿编辑",
  "rules.preview": "校验并预览影响",
  "rules.previewCycle": "周期",
  "rules.publish": "发布",
  "rules.publishReason": "修改理由（必填）",
  "rules.published": "已发布第 {v} 版。",
  "rules.conflict": "其他人已发布了更新的版本。请重新加载最新版本，重新修改后再发布。",
  "rules.conflictCreated":
    "此草稿未基于任何版本，但该方案已有版本：新版本须基于最新版本。请重新加载最新版本，重新修改后再发布。",
  "rules.reload": "重新加载最新版本",
  "rules.restored": "已恢复您未发布的草稿（基于第 {v} 版）。点击“以最新版本为草稿编辑”将放弃它。",
  "rules.jsonError": "JSON 格式错误：{message}",
  "rules.valid": "服务器已接受此草稿。",
  "rules.change.ADDED": "新增",
  "rules.change.CHANGED": "修改",
  "rules.change.REMOVED": "删除",
  "rules.causes": "原因",
  "rules.maximum": "最高总分：{before} → {after}",
  "rules.maximumSame": "最高总分：{max}（未变）",
  "rules.maximumChanged":
    "各项分值相加已不再是原来的最高总分：所有总分和等次线都将以新的最高总分衡量。请确认这是既定的调整。",
  "rules.unchanged": "没有可发布的修改：草稿的规则与第 {v} 版相同（其 `version` 和 `$schema` 不属于规则）。",
  "rules.issues": "草稿有以下问题：",
  "rules.issueAt": "{path}（第 {line} 行）：{message}",
  "rules.issueAtNoLine": "{path}：{message}",
  "rules.wholeDraft": "草稿",
  "rules.previewFirst": "请先预览当前草稿的影响，再发布。",
  "rules.issuesStale": "以下问题是在您最近修改之前的草稿中发现的：请重新校验当前草稿。",
  // 排名页的实时更新（live-updates.ts）：网关给出的每次更新的 `reason`。
  "live.updated": "排名已更新：{reason}",
  "live.updatedOther": "排名已更新",
  "live.reason.score": "直接评分已设置或删除",
  "live.reason.finding": "督查发现问题已记录或删除",
  "live.reason.rectification": "整改情况已记录",
  "live.reason.import": "已导入数据或撤销导入",
  "live.reason.unit": "单位已新增、修改或删除",
  "live.reason.group": "可比组已新增、修改或删除",
  "live.reason.veto": "一票否决事项已记录或删除",
  "live.reason.bonus": "加分事项已记录或删除",
  "live.reason.scheme": "本周期已改用另一评分方案版本",
  "live.reason.finalised": "本考评周期已定稿",
  "live.reason.resync": "网关与数据库的连接中断后已重新读取",
};

export const DICTIONARIES: Record<Lang, Record<Key, string>> = { en, "zh-CN": zh };
export type TranslationKey = Key;
export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = DICTIONARIES[lang];
  return (key, vars) => {
    const text = dict[key] ?? en[key] ?? key;
    // One pass with a function: a value is put in as it is, never read as "$&" patterns or as
    // another placeholder (unit names and JSON error messages are arbitrary text).
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && Object.hasOwn(vars, name) ? String(vars[name]) : whole,
    );
  };
}

/**
 * Gateway refusals the console words itself, by code: their message is the gateway's English,
 * written for a client's developer (a cursor, its argument's path), not for the reader.
 */
const ERROR_KEYS = new Map<string, Key>([
  // Only everyPage (pages.ts) sends cursors, and it reads the list again on this refusal: one
  // that reaches a view is the last of several in a row.
  ["STALE_CURSOR", "error.staleCursor"],
  // The gateway's server refuses these before GraphQL runs (server.ts): "too many requests",
  // "shutting down".
  ["RATE_LIMITED", "error.rateLimited"],
  ["UNAVAILABLE", "error.unavailable"],
  // gql's own, for a request that got no reply: fetch rejected, or the reply was cut off.
  ["NETWORK", "error.unreachable"],
]);

/**
 * Replies that are not JSON (gql's `HTTP <status>`, code HTTP) come from whatever stands between
 * the console and the gateway, which answers /graphql in JSON: a proxy, or Vite's dev server, whose
 * 502 (or a proxy's 504) says the gateway did not answer it.
 */
const HTTP_KEYS = new Map<string, Key>([
  ["429", "error.rateLimited"],
  ["502", "error.unreachable"],
  ["503", "error.unavailable"],
  ["504", "error.unreachable"],
]);

function errorKey(error: Error): Key | undefined {
  const code = (error as { code?: unknown }).code;
  if (code === "HTTP") return HTTP_KEYS.get(/^HTTP (\d{3})$/.exec(error.message)?.[1] ?? "");
  return typeof code === "string" ? ERROR_KEYS.get(code) : undefined;
}

/** The console's sentence for an error whose code it knows, else undefined. */
function worded(error: Error, t: Translate): string | undefined {
  const key = errorKey(error);
  const seconds = error instanceof ApiError ? error.retryAfter : null;
  // English says "1 second", not "1 seconds"; the gateway's window can end within one.
  if (key === "error.rateLimited" && seconds !== null)
    return seconds === 1 ? t("error.rateLimitedOneSecond") : t("error.rateLimitedSeconds", { seconds });
  return key && t(key);
}

/**
 * What a view shows for a failure: the console's words for a code it knows, else the error's own
 * message. `detail` is the gateway's message when it was replaced, kept for support to read.
 */
export function errorText(error: Error, t: Translate): { text: string; detail: string | null } {
  const text = worded(error, t);
  return text ? { text, detail: error.message } : { text: error.message, detail: null };
}

/**
 * What the sign-in screen says when the gateway's check of a token fails. Every failure is put in
 * the console's words, even one a view would show as it is: this screen comes before any other,
 * and the gateway's English ("invalid token: ERR_JWS_SIGNATURE_VERIFICATION_FAILED") tells a
 * user nothing. `detail` is the original message, for support.
 */
export function signInErrorText(error: Error, t: Translate): { text: string; detail: string } {
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED")
    return { text: t("login.refused"), detail: error.message };
  return { text: worded(error, t) ?? t("error.unknown"), detail: error.message };
}

export function initialLang(): Lang {
  const saved = localStorage.getItem("pingyi.lang");
  if (saved === "en" || saved === "zh-CN") return saved;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export const I18n = createContext<{ lang: Lang; t: Translate; setLang: (l: Lang) => void }>({
  lang: "en",
  t: translator("en"),
  setLang: () => {},
});
export const useI18n = () => useContext(I18n);
