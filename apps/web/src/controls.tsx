import type { ComponentChildren } from "preact";

/**
 * A button that stays focusable while it cannot be used (aria-disabled rather than disabled), so
 * keyboard and screen-reader users keep their place while an action is under way.
 */
export function Action({
  onClick,
  disabled = false,
  class: className,
  label,
  children,
}: {
  onClick: () => void;
  disabled?: boolean;
  class?: string;
  /** The accessible name, when the visible text is not all of it. */
  label?: string;
  children: ComponentChildren;
}) {
  return (
    <button type="button" class={className} aria-disabled={disabled} aria-label={label} onClick={() => disabled || onClick()}>
      {children}
    </button>
  );
}

/** A labelled gauge (HP, stamina): a native meter, which screen readers announce with its label and value. */
export function Gauge({ id, label, value, max, kind }: { id: string; label: string; value: number; max: number; kind: "hp" | "stamina" | "enemy" }) {
  return (
    <div class={`gauge ${kind}`}>
      <label for={id}>
        {label}{" "}
        <span class="figure">
          {value} / {max}
        </span>
      </label>
      <meter id={id} min={0} max={max} low={max * 0.3} high={max * 0.6} optimum={max} value={value} />
    </div>
  );
}
