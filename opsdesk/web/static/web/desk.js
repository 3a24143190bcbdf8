// One-click copy of a rendered message (navigator.clipboard needs a secure context: fall back to a textarea).
function deskCopy(button) {
  var box = document.getElementById(button.dataset.copy);
  var text = box ? box.innerText : "";
  function done() { button.classList.add("copied"); button.textContent = button.dataset.done || "✓"; }
  function fallback() {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); done(); } finally { document.body.removeChild(area); }
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
}
// Messages show the receiver's phone and address masked: the first copy asks the server for them in full (the
// server logs the look on the order), swaps them in, and copies.
function deskReveal(button) {
  var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  return fetch(button.dataset.reveal, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": token}})
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.text(); })
    .then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      page.querySelectorAll("[data-revealed]").forEach(function (fresh) {
        var old = document.getElementById(fresh.id);
        if (old) { old.textContent = fresh.textContent; old.dataset.revealed = ""; }
      });
      document.querySelectorAll("[data-reveal]").forEach(function (other) { delete other.dataset.reveal; });
    });
}
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) { return; }
  event.preventDefault();
  if (button.dataset.reveal) { deskReveal(button).then(function () { deskCopy(button); }); } else { deskCopy(button); }
});
// A refused htmx request that the server did not retarget (403, 500): say so in the flash box.
document.addEventListener("htmx:responseError", function (event) {
  var flash = document.getElementById("flash");
  var status = event.detail.xhr.status;
  if (flash && !event.detail.xhr.getResponseHeader("HX-Retarget")) {
    flash.innerHTML = '<div class="msg error">' + (status === 403 ? flash.dataset.forbidden : flash.dataset.failed) + " (" + status + ")</div>";
  }
});
// A "select all" box ticks every checkbox of its name in the same form (the queue's rows).
document.addEventListener("change", function (event) {
  var box = event.target.closest("[data-select-all]");
  if (!box || !box.form) { return; }
  box.form.querySelectorAll('input[type=checkbox][name="' + box.dataset.selectAll + '"]').forEach(function (other) {
    other.checked = box.checked;
  });
});
// The language picker submits its form on change (no inline handlers: the Content-Security-Policy forbids them).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-submit-on-change]")) { event.target.form.submit(); }
});
