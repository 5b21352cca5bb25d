/** Small DOM helpers. Text from exchanges only ever goes through textContent. */

/** The element with this id; throws if the page lacks it (a template/script mismatch). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`task pane markup has no #${id}`);
  return el as T;
}

/**
 * Disables or enables a control. A Fluent button draws its disabled look inside its shadow root, where axe and
 * assistive technology cannot see the host's `disabled`; `aria-disabled` says it to both (WCAG exempts inactive
 * controls from the contrast rule, and axe knows it only from this attribute).
 */
export function setDisabled(node: Element, disabled: boolean): void {
  node.toggleAttribute("disabled", disabled);
  if (disabled) node.setAttribute("aria-disabled", "true");
  else node.removeAttribute("aria-disabled");
}

/** A new element with text content (never HTML) and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** Replaces a <select>'s options. */
export function setOptions(select: HTMLSelectElement, options: { value: string; label: string }[]): void {
  select.replaceChildren(...options.map((o) => el("option", o.label, { value: o.value })));
}

/** A labelled Fluent checkbox: the field wires the label to the checkbox for assistive technology. */
export function checkbox(id: string, label: string, checked: boolean, onChange: (checked: boolean) => void) {
  const field = el("fluent-field" as "div", undefined, { "label-position": "after" });
  const labelEl = el("label", label, { slot: "label", for: id });
  const box = el("fluent-checkbox" as "input", undefined, { slot: "input", id });
  if (checked) box.setAttribute("checked", "");
  box.addEventListener("change", () => onChange(box.checked));
  field.append(labelEl, box);
  return field;
}

/** The value of a Fluent text input (or any element with a value). */
export const valueOf = (id: string): string =>
  String((byId(id) as unknown as { value: string }).value ?? "").trim();
