<?php
/**
 * The shortcodes [oovoo_conference id="…" layout="…"] and [oovoo_chat to="…"]: the elements inside an
 * <oovoo-login> that holds the viewer's session token, and one script tag from the configured server.
 *
 * @package oovoo
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_shortcode( 'oovoo_conference', 'oovoo_conference_shortcode' );
add_shortcode( 'oovoo_chat', 'oovoo_chat_shortcode' );
add_filter( 'script_loader_tag', 'oovoo_script_tag', 10, 2 );
add_action( 'template_redirect', 'oovoo_no_cache_for_calls' );

/**
 * [oovoo_conference id="room" layout="grid|speaker|spotlight"]
 *
 * @param array<string, string>|string $atts The shortcode's attributes.
 * @return string
 */
function oovoo_conference_shortcode( $atts ) {
	$atts = shortcode_atts(
		array(
			'id'     => '',
			'layout' => '',
		),
		$atts,
		'oovoo_conference'
	);
	return oovoo_render_conference( $atts );
}

/**
 * [oovoo_chat to="alice,bob"]
 *
 * @param array<string, string>|string $atts The shortcode's attributes.
 * @return string
 */
function oovoo_chat_shortcode( $atts ) {
	$atts = shortcode_atts( array( 'to' => '' ), $atts, 'oovoo_chat' );
	return oovoo_render_chat( $atts );
}

/**
 * The conference's markup (shortcode and block).
 *
 * @param array<string, string> $atts `id` and `layout`.
 * @return string
 */
function oovoo_render_conference( $atts ) {
	$settings = oovoo_get_settings();
	$id       = sanitize_text_field( (string) ( isset( $atts['id'] ) ? $atts['id'] : '' ) );
	if ( '' === $id ) {
		// One room per post unless the shortcode names one.
		$id = 'wp-' . (int) get_the_ID();
	}
	$layout  = isset( $atts['layout'] ) ? (string) $atts['layout'] : '';
	$choices = oovoo_setting_choices();
	$element = array(
		'conference-id' => $id,
		'layout'        => isset( $choices['layout'][ $layout ] ) ? $layout : $settings['layout'],
		'resolution'    => $settings['resolution'],
		'theme'         => $settings['theme'],
		'autojoin'      => (bool) $settings['autojoin'],
		'prejoin'       => (bool) $settings['prejoin'],
	);
	return oovoo_render_signed_in(
		$settings,
		'oovoo-conference',
		$element,
		__( 'Log in to join the video call.', 'oovoo' )
	);
}

/**
 * The chat's markup (shortcode and block). `to` names WordPress users (login names) or oovoo user
 * ids; the viewer is left out, so one page can hold the chat of everyone it names.
 *
 * @param array<string, string> $atts `to`.
 * @return string
 */
function oovoo_render_chat( $atts ) {
	$settings = oovoo_get_settings();
	$to       = isset( $atts['to'] ) ? (string) $atts['to'] : '';
	$viewer   = wp_get_current_user();
	$self     = $viewer->exists() ? oovoo_user_id( $viewer, $settings ) : '';
	$ids      = array();
	foreach ( array_filter( array_map( 'trim', explode( ',', $to ) ) ) as $name ) {
		$user = get_user_by( 'login', $name );
		$id   = $user ? oovoo_user_id( $user, $settings ) : sanitize_text_field( $name );
		if ( '' !== $id && $id !== $self && ! in_array( $id, $ids, true ) ) {
			$ids[] = $id;
		}
	}
	return oovoo_render_signed_in(
		$settings,
		'oovoo-chat',
		array( 'to' => implode( ',', $ids ) ),
		__( 'Log in to chat.', 'oovoo' )
	);
}

/**
 * An element inside an <oovoo-login> signed in as the viewer, or the log-in message.
 *
 * @param array<string, mixed>       $settings   The plugin's settings.
 * @param string                     $tag        The element.
 * @param array<string, string|bool> $attrs      Its attributes (true: present, false: absent).
 * @param string                     $logged_out The message for a visitor who must log in.
 * @return string
 */
function oovoo_render_signed_in( $settings, $tag, $attrs, $logged_out ) {
	$identity = oovoo_current_identity( $settings );
	if ( null === $identity ) {
		return sprintf(
			'<p class="oovoo-log-in">%s <a href="%s">%s</a></p>',
			esc_html( $logged_out ),
			esc_url( wp_login_url( (string) get_permalink() ) ),
			esc_html__( 'Log in', 'oovoo' )
		);
	}
	if ( is_wp_error( $identity ) ) {
		// Visitors get a short line; the site's managers get the reason, to fix it.
		$message = current_user_can( 'manage_options' ) ? $identity->get_error_message() : __( 'The video call is not available right now.', 'oovoo' );
		return sprintf( '<p class="oovoo-unavailable">%s</p>', esc_html( $message ) );
	}
	oovoo_enqueue_script( $settings );
	$login = array(
		'server'        => $settings['server_url'],
		'app-id'        => $settings['app_id'],
		'user-id'       => $identity['user_id'],
		'display-name'  => $identity['display_name'],
		'session-token' => $identity['token'],
	);
	return sprintf(
		'<div class="oovoo-embed"><oovoo-login%s><%s%s></%s></oovoo-login></div>',
		oovoo_html_attributes( $login ),
		tag_escape( $tag ),
		oovoo_html_attributes( $attrs ),
		tag_escape( $tag )
	);
}

/**
 * Attributes as HTML, each value escaped; empty strings and false are left out, true is a bare attribute.
 *
 * @param array<string, string|bool> $attrs Name => value.
 * @return string
 */
function oovoo_html_attributes( $attrs ) {
	$html = '';
	foreach ( $attrs as $name => $value ) {
		if ( true === $value ) {
			$html .= ' ' . sanitize_key( $name );
		} elseif ( false !== $value && '' !== (string) $value ) {
			$html .= sprintf( ' %s="%s"', sanitize_key( $name ), esc_attr( (string) $value ) );
		}
	}
	return $html;
}

/**
 * The SDK script from the configured server (or its copy at the script URL), once per page, in the footer.
 *
 * @param array<string, mixed> $settings The plugin's settings.
 */
function oovoo_enqueue_script( $settings ) {
	$src = '' !== $settings['script_url'] ? $settings['script_url'] : $settings['server_url'] . '/oovoo.min.js';
	// No version query: the server sends its own caching headers, and a CDN copy is named by its own URL.
	wp_enqueue_script( 'oovoo-elements', $src, array(), null, true ); // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion
}

/**
 * Adds data-server to the SDK's script tag: a copy served from a CDN then still talks to the right server.
 *
 * @param string $tag    The script tag.
 * @param string $handle Its handle.
 * @return string
 */
function oovoo_script_tag( $tag, $handle ) {
	if ( 'oovoo-elements' !== $handle ) {
		return $tag;
	}
	$server = oovoo_get_settings()['server_url'];
	return preg_replace( '/<script /', sprintf( '<script data-server="%s" ', esc_attr( $server ) ), $tag, 1 );
}

/**
 * A page with a call holds the viewer's session token: no shared cache may keep it.
 */
function oovoo_no_cache_for_calls() {
	$post = get_queried_object();
	if ( ! $post instanceof WP_Post ) {
		return;
	}
	$content = (string) $post->post_content;
	if ( has_shortcode( $content, 'oovoo_conference' ) || has_shortcode( $content, 'oovoo_chat' ) || has_block( 'oovoo/conference', $post ) || has_block( 'oovoo/chat', $post ) ) {
		nocache_headers();
	}
}
