<?php
/**
 * The blocks oovoo/conference and oovoo/chat: rendered on the server like the shortcodes, with the
 * same attributes (block.json), and a small editor script with no build step.
 *
 * @package oovoo
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_action( 'init', 'oovoo_register_blocks' );

/**
 * Registers the editor script (named by both block.json files) and the two blocks.
 */
function oovoo_register_blocks() {
	wp_register_script(
		'oovoo-blocks-editor',
		plugins_url( 'assets/blocks-editor.js', OOVOO_PLUGIN_DIR . '/oovoo.php' ),
		array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n' ),
		OOVOO_VERSION,
		true
	);
	register_block_type( OOVOO_PLUGIN_DIR . '/blocks/conference', array( 'render_callback' => 'oovoo_render_conference' ) );
	register_block_type( OOVOO_PLUGIN_DIR . '/blocks/chat', array( 'render_callback' => 'oovoo_render_chat' ) );
}
