/**
 * A4: an account's units as a tree, from the flat rows db/queries/units.ts lists. Pure
 * functions: the Units page, the unit pickers and the tests share them.
 */
export type TreeUnit = { id: string; parentId: string | null; name: string };
export type TreeNode<U extends TreeUnit> = U & { children: TreeNode<U>[]; depth: number };

/** Parents before children; siblings in the order given (by name from the query). */
export function buildTree<U extends TreeUnit>(units: readonly U[]): TreeNode<U>[] {
  const nodes = new Map<string, TreeNode<U>>(units.map((unit) => [unit.id, { ...unit, children: [], depth: 0 }]));
  const roots: TreeNode<U>[] = [];
  for (const unit of units) {
    const node = nodes.get(unit.id)!;
    const parent = unit.parentId ? nodes.get(unit.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const setDepth = (list: TreeNode<U>[], depth: number) => {
    for (const node of list) {
      node.depth = depth;
      setDepth(node.children, depth + 1);
    }
  };
  setDepth(roots, 0);
  return roots;
}

/** The tree in reading order (depth first), for a list or a select. */
export function flatten<U extends TreeUnit>(roots: readonly TreeNode<U>[]): TreeNode<U>[] {
  return roots.flatMap((node) => [node, ...flatten(node.children)]);
}

// Built once per list of units: pickers ask for the line of each of 2,000 units.
const indexes = new WeakMap<readonly TreeUnit[], Map<string, TreeUnit>>();
function indexOf(units: readonly TreeUnit[]) {
  let byId = indexes.get(units);
  if (!byId) indexes.set(units, (byId = new Map(units.map((unit) => [unit.id, unit]))));
  return byId;
}

/** A unit's line: its ID and those of every unit above it, nearest first. */
export function lineOf(units: readonly TreeUnit[], unitId: string): string[] {
  const byId = indexOf(units);
  const line: string[] = [];
  for (let unit = byId.get(unitId); unit && !line.includes(unit.id); unit = unit.parentId ? byId.get(unit.parentId) : undefined) line.push(unit.id);
  return line;
}

/** "Acme / EMEA / Germany": a unit named with those above it, so two "Sales" units differ. */
export function pathName(units: readonly TreeUnit[], unitId: string): string {
  const byId = indexOf(units);
  return lineOf(units, unitId)
    .reverse()
    .map((id) => byId.get(id)!.name)
    .join(" / ");
}

/** The IDs of a unit and every unit below it. */
export function subtreeOf(units: readonly TreeUnit[], unitId: string): Set<string> {
  const below = new Set([unitId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of units) {
      if (unit.parentId && below.has(unit.parentId) && !below.has(unit.id)) {
        below.add(unit.id);
        grew = true;
      }
    }
  }
  return below;
}
