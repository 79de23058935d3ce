import type { DepartmentView } from '../shared/types.ts';

export interface DepartmentNode {
  key: string;
  value: string;
  title: string;
  department: DepartmentView;
  children: DepartmentNode[];
  disabled?: boolean;
}

/** The flat department list (with parent ids) as a tree, siblings by sort order then name. */
export function buildDepartmentTree(list: DepartmentView[], disabledIds: ReadonlySet<string> = new Set()): DepartmentNode[] {
  const nodes = new Map<string, DepartmentNode>();
  for (const d of list) nodes.set(d.id, { key: d.id, value: d.id, title: d.name, department: d, children: [], disabled: disabledIds.has(d.id) });
  const roots: DepartmentNode[] = [];
  for (const d of list) {
    const node = nodes.get(d.id)!;
    const parent = d.parentId ? nodes.get(d.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (xs: DepartmentNode[]) => {
    xs.sort((a, b) => a.department.sortOrder - b.department.sortOrder || a.title.localeCompare(b.title));
    xs.forEach((x) => sort(x.children));
  };
  sort(roots);
  return roots;
}

/** A department and everything under it: it cannot become its own parent. */
export function subtreeIds(list: DepartmentView[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of list) if (d.parentId && ids.has(d.parentId) && !ids.has(d.id)) { ids.add(d.id); grew = true; }
  }
  return ids;
}
