// Hide the optional contact fields for child sexual abuse material, where we do not ask who
// the reporter is; the server drops them too, so this is only a courtesy.
(function () {
  var category = document.getElementById("id_category");
  var contact = document.getElementById("contact");
  if (!category || !contact) return;
  function update() { contact.hidden = category.value === "child_sexual_abuse"; }
  category.addEventListener("change", update);
  update();
})();
