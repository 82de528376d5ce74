import { svelte } from '@sveltejs/vite-plugin-svelte';
import { frameworkPage } from '../shared/vite-config.mjs';

export default frameworkPage([svelte()]);
