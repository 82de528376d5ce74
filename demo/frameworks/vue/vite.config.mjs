import vue from '@vitejs/plugin-vue';
import { frameworkPage } from '../shared/vite-config.mjs';

// Vue must not try to resolve <oovoo-*> as Vue components: they are custom elements.
export default frameworkPage([vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('oovoo-') } } })]);
