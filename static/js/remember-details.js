// Remembers whether a <details data-remember="key"> was closed, so an introduction the reader
// folded away stays folded on the next page. Works without it: the details simply start open.
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  document.querySelectorAll("details[data-remember]").forEach(function (details) {
    var key = "rr:" + details.getAttribute("data-remember");
    if (store.getItem(key) === "closed") { details.open = false; }
    details.addEventListener("toggle", function () {
      store.setItem(key, details.open ? "open" : "closed");
    });
  });
})();
