// Screenshots load only when a person asks to see one: each view is recorded in the audit
// log, and nobody is shown distressing material by accident. Shown blurred; click to unblur.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.reveal");
  if (button) {
    var image = document.createElement("img");
    image.src = button.dataset.src;
    image.alt = button.textContent;
    image.className = "shot blurred";
    button.replaceWith(image);
    return;
  }
  if (event.target.matches("img.shot")) event.target.classList.toggle("blurred");
});
