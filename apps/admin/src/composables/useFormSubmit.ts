import { nextTick, ref } from 'vue';
import { ElMessage, type FormInstance } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { errorText, fieldErrors } from '../api/index.ts';

/**
 * The save step every console form shares: check the rules, send, and on a refusal put the
 * server's field errors under their fields (bind `:error="serverErrors.x"`) besides a toast,
 * since the server checks more than the form can (a name already taken, a region out of reach).
 * Bind `formRef` with `ref="formRef"` and `saving` to the save button.
 */
export function useFormSubmit() {
  const formRef = ref<FormInstance>();
  const serverErrors = ref<Record<string, string>>({});
  const saving = ref(false);

  /** For a dialog reopened with fresh values: last time's marks must not show on them. */
  async function clearErrors() {
    serverErrors.value = {};
    // After the render: the new values (and rules computed from them) set off checks that would
    // bring the marks straight back, and a destroy-on-close dialog has no form before it.
    await nextTick();
    formRef.value?.clearValidate();
  }

  /** Runs `send` if the form is valid; `send` does its own success toast and closing. */
  async function submitForm(send: () => Promise<void>): Promise<void> {
    if (!(await formRef.value?.validate().catch(() => false))) return;
    saving.value = true;
    serverErrors.value = {};
    try {
      await send();
    } catch (err) {
      serverErrors.value = fieldErrors(err);
      ElMessage.error(errorText(err));
    } finally {
      saving.value = false;
    }
  }

  return { formRef, serverErrors, saving, clearErrors, submitForm };
}
