// Paste a screenshot (Ctrl+V / ⌘V) anywhere on a page with a `data-paste-files` form: the pasted images go into
// the form's file input and the form is sent, as if they had been chosen with the file button.
document.addEventListener("paste", function (event) {
  var form = document.querySelector("form[data-paste-files]");
  var data = event.clipboardData;
  if (!form || !data || !data.files || !data.files.length) { return; }
  var input = form.querySelector('input[type=file][name="' + form.dataset.pasteFiles + '"]');
  var images = new DataTransfer();
  Array.prototype.forEach.call(data.files, function (file) {
    if (file.type.indexOf("image/") === 0) { images.items.add(file); }
  });
  if (!input || !images.files.length) { return; }
  event.preventDefault();
  input.files = images.files;
  form.requestSubmit();
});
