// Enhancements for the questionnaire and the invitation links page.
// Every page works without them: the evidence box is then always shown, the
// page is printed from the browser's menu and links are selected by hand.

function revealEvidence () {
  const group = document.querySelector('.app-evidence')
  if (!group) return
  const textarea = group.querySelector('textarea')
  const radios = document.querySelectorAll('input[name="answer"]')
  const update = () => {
    const chosen = document.querySelector('input[name="answer"]:checked')
    const high = chosen && (chosen.value === '4' || chosen.value === '5')
    const keep = high || textarea.value.trim() !== '' ||
      group.classList.contains('govuk-form-group--error')
    group.hidden = !keep
  }
  radios.forEach((radio) => radio.addEventListener('change', update))
  update()
}

function printButtons () {
  document.querySelectorAll('.app-print-button').forEach((button) => {
    button.hidden = false
    button.addEventListener('click', () => window.print())
  })
}

function copyButtons () {
  if (!navigator.clipboard) return
  document.querySelectorAll('.app-copy-button').forEach((button) => {
    const target = document.getElementById(button.dataset.copyTarget)
    if (!target) return
    button.hidden = false
    button.addEventListener('click', async () => {
      await navigator.clipboard.writeText(target.textContent.trim())
      const label = button.firstChild
      label.textContent = button.dataset.copiedText + ' '
    })
  })
}

revealEvidence()
printButtons()
copyButtons()
