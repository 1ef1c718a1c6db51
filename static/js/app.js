// Behaviour the pages need beyond htmx, kept out of the HTML so the Content-Security-Policy
// can forbid inline scripts and event handlers.
//
// <form data-confirm="Remove Ann from this project?">: asks before submitting. The question
// is read from the attribute as text, never evaluated, so a user's name cannot become code.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// <button data-remove-closest="tr">: removes the enclosing row (Cancel on a new inline form).
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-remove-closest]");
  if (!button) return;
  button.closest(button.dataset.removeClosest)?.remove();
});

// <button data-quick-add="id_field">: after a new owner or system was added from a field (htmx
// appended it to that field), empty the name box and its error line and fold the box away.
document.addEventListener("htmx:afterRequest", (event) => {
  const button = event.detail.elt;
  if (!(button instanceof Element) || !button.dataset.quickAdd) return;
  if (!event.detail.successful || event.detail.xhr.getResponseHeader("HX-Retarget")) return;
  const target = button.dataset.quickAdd;
  const input = document.getElementById(`quick-${target}`);
  const error = document.getElementById(`quick-error-${target}`);
  if (input) input.value = "";
  if (error) error.textContent = "";
  const details = button.closest("details");
  if (details) details.open = false;
});
