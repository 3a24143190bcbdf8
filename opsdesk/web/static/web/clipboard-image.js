// Copy a picture (the 不放清单 order picture) to the clipboard as PNG, ready to paste into the chat. The Clipboard
// API needs a secure context (https or localhost); without it the button says so and the download link remains.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-image]");
  if (!button) { return; }
  event.preventDefault();
  function say(text, ok) { button.textContent = text; button.classList.toggle("copied", ok); }
  if (!(navigator.clipboard && window.ClipboardItem && window.isSecureContext)) {
    say(button.dataset.failed, false);
    return;
  }
  var png = fetch(button.dataset.copyImage, { credentials: "same-origin" }).then(function (answer) {
    if (!answer.ok) { throw new Error(answer.status); }
    return answer.blob();
  });
  navigator.clipboard.write([new ClipboardItem({ "image/png": png })]).then(
    function () { say(button.dataset.done, true); },
    function () { say(button.dataset.failed, false); }
  );
});
