// Keyboard and screen-reader behaviour of the pages' in-place edits (htmx swaps), kept out of
// the HTML for the Content-Security-Policy. The server marks what should happen; this file
// only carries it out:
//
// data-take-focus="field|edit|self" on swapped-in content: where focus goes next — the first
//   invalid (else first) field of a form, the row's Edit control, or the element itself.
// data-cancel inside a row being edited or asked about: what Escape presses.
// #live-status / #live-alert: messages of saves, emptied again after a while.
// .answer-form radios: save once per committed choice (see below).
(() => {
  const FIELDS = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';

  function takeFocus() {
    const host = document.querySelector("[data-take-focus]");
    if (!host) return;
    const how = host.dataset.takeFocus;
    host.removeAttribute("data-take-focus");
    let target = null;
    if (how === "field") target = host.querySelector('[aria-invalid="true"]') || host.querySelector(FIELDS);
    else if (how === "edit") target = host.querySelector("[data-row-edit]");
    if (!target) {
      target = host;
      if (!host.hasAttribute("tabindex")) host.setAttribute("tabindex", "-1");
    }
    target.focus();
  }
  document.addEventListener("htmx:afterSettle", takeFocus);

  // Escape leaves an inline edit or a delete question as it was: its Cancel, no write.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || !(event.target instanceof Element)) return;
    const row = event.target.closest("tr.editing, tr.asking");
    const cancel = row && row.querySelector("[data-cancel]");
    if (!cancel) return;
    event.preventDefault();
    cancel.click();
  });

  // Cancel of a new (unsaved) row removes it (app.js); focus goes back to the Add button.
  document.addEventListener("click", (event) => {
    const cancel = event.target instanceof Element && event.target.closest("[data-cancel][data-remove-closest]");
    if (!cancel) return;
    setTimeout(() => document.querySelector("[data-add-item]")?.focus(), 0);
  });

  // Live messages: shown for a while, then emptied (the region itself stays for the next one).
  const timers = new Map();
  function clearLater(region) {
    clearTimeout(timers.get(region));
    if (region.textContent.trim()) timers.set(region, setTimeout(() => { region.textContent = ""; }, 6000));
  }
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const region = event.detail.target;
    if (region instanceof Element && region.classList.contains("live")) clearLater(region);
  });
  function announceError(text) {
    const region = document.getElementById("live-alert");
    if (!region) return;
    region.textContent = text;
    clearLater(region);
  }
  document.addEventListener("htmx:responseError", () => announceError("Not saved: the server could not do it. Reload the page and try again."));
  document.addEventListener("htmx:sendError", () => announceError("Not saved: the server cannot be reached. Check the connection and try again."));

  // Answer radios. Arrow keys move the choice through every option on their way; saving each
  // would record answers nobody gave. A choice is committed — and saved once — when it is
  // clicked or picked with Space, when Enter is pressed, when focus leaves the options, or
  // after a pause of PAUSE_MS on one option. The form listens for "answer-commit".
  const PAUSE_MS = 2000;
  const pending = new Map(); // form -> timer
  let pickedAt = 0; // last pointer press or Space on an answer option

  const radioOf = (el) => el instanceof HTMLInputElement && el.type === "radio" && el.closest(".answer-form") ? el : null;

  function commit(form) {
    if (!pending.has(form)) return;
    clearTimeout(pending.get(form));
    pending.delete(form);
    form.classList.remove("answer-pending");
    htmx.trigger(form, "answer-commit");
  }

  document.addEventListener("pointerdown", (event) => {
    if (event.target instanceof Element && event.target.closest(".answer-form .choices")) pickedAt = Date.now();
  }, true);
  document.addEventListener("keydown", (event) => {
    const radio = radioOf(event.target);
    if (!radio) return;
    pickedAt = event.key === " " ? Date.now() : 0;
    if (event.key === "Enter") {
      event.preventDefault();
      const form = radio.form;
      if (!pending.has(form)) pending.set(form, 0);
      commit(form);
    }
  }, true);
  document.addEventListener("change", (event) => {
    const radio = radioOf(event.target);
    if (!radio) return;
    const form = radio.form;
    clearTimeout(pending.get(form));
    pending.set(form, 0);
    if (Date.now() - pickedAt < 1000) {
      pickedAt = 0;
      commit(form);
      return;
    }
    form.classList.add("answer-pending");
    pending.set(form, setTimeout(() => commit(form), PAUSE_MS));
  });
  document.addEventListener("focusout", (event) => {
    const radio = radioOf(event.target);
    if (!radio) return;
    const group = radio.closest(".choices");
    if (event.relatedTarget instanceof Node && group.contains(event.relatedTarget)) return;
    commit(radio.form);
  });
  // Leaving the page with a choice not yet saved: save it now.
  window.addEventListener("pagehide", () => { for (const form of [...pending.keys()]) commit(form); });
})();
