// The narrow-screen menu: below the breakpoint in app.css the top bar's links and the project's
// links fold behind the "Menu" button. Loaded in <head> without defer so the page is marked as
// scripted before it is painted; without JavaScript the button stays hidden and every link shows.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function toggle() { return document.querySelector(".menu-toggle"); }

  function setOpen(open) {
    var button = toggle();
    if (!button) return;
    root.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest(".menu-toggle");
    if (button) setOpen(button.getAttribute("aria-expanded") !== "true");
  });

  // Escape closes the open menu and puts focus back on its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !root.classList.contains("menu-open")) return;
    setOpen(false);
    var button = toggle();
    if (button) button.focus();
  });
})();
