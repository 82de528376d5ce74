<?php
/**
 * The plugin's settings: one option, its defaults, and the sanitising every saved value passes.
 *
 * @package oovoo
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The option that holds every setting (uninstall.php removes it). */
const OOVOO_OPTION = 'oovoo_settings';

/**
 * The settings a fresh site starts with.
 *
 * @return array<string, mixed>
 */
function oovoo_default_settings() {
	return array(
		'server_url'   => '',
		'script_url'   => '',
		'app_id'       => '',
		'web_token'    => '',
		'id_mode'      => 'id',
		'hosts'        => 'editors',
		'allow_guests' => false,
		'layout'       => 'grid',
		'resolution'   => 'high',
		'theme'        => 'dark',
		'prejoin'      => false,
		'autojoin'     => true,
	);
}

/**
 * The allowed values of each setting that is a choice, with what the settings page calls them.
 *
 * @return array<string, array<string, string>>
 */
function oovoo_setting_choices() {
	return array(
		'id_mode'    => array(
			'id'    => __( 'WordPress user ID (a number)', 'oovoo' ),
			'login' => __( 'Login name', 'oovoo' ),
		),
		'hosts'      => array(
			'editors'        => __( 'Editors and administrators', 'oovoo' ),
			'administrators' => __( 'Administrators only', 'oovoo' ),
			'none'           => __( 'No one', 'oovoo' ),
		),
		'layout'     => array(
			'grid'      => __( 'Grid', 'oovoo' ),
			'speaker'   => __( 'Speaker', 'oovoo' ),
			'spotlight' => __( 'Spotlight', 'oovoo' ),
		),
		'resolution' => array(
			'normal' => __( 'Normal', 'oovoo' ),
			'high'   => __( 'High', 'oovoo' ),
			'hd'     => __( 'HD', 'oovoo' ),
		),
		'theme'      => array(
			'dark'  => __( 'Dark', 'oovoo' ),
			'light' => __( 'Light', 'oovoo' ),
			'auto'  => __( 'Follow the visitor’s system', 'oovoo' ),
		),
	);
}

/**
 * The saved settings over the defaults.
 *
 * @return array<string, mixed>
 */
function oovoo_get_settings() {
	$saved = get_option( OOVOO_OPTION, array() );
	return array_merge( oovoo_default_settings(), is_array( $saved ) ? $saved : array() );
}

/**
 * The origin (scheme, host, port) of an http(s) URL, or '' when it is not one.
 *
 * @param string $url A URL as typed.
 * @return string
 */
function oovoo_url_origin( $url ) {
	$url = trim( (string) $url );
	// Only an absolute http(s) URL with a plain host: esc_url_raw() alone would make "http://words" of words.
	if ( ! preg_match( '#^https?://[a-z0-9.-]+(:[0-9]{1,5})?(/|\?|$)#i', $url ) ) {
		return '';
	}
	$parts = wp_parse_url( esc_url_raw( $url, array( 'http', 'https' ) ) );
	if ( empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
		return '';
	}
	$origin = strtolower( $parts['scheme'] ) . '://' . strtolower( $parts['host'] );
	return isset( $parts['port'] ) ? $origin . ':' . (int) $parts['port'] : $origin;
}

/**
 * Sanitises a submitted settings form against the current settings.
 *
 * Every field is checked on its own: a bad value is reported and the current one kept, so one typo
 * never loses the others. An empty web token keeps the saved one (the form never shows it).
 *
 * @param array<string, mixed> $input   The submitted fields (unslashed).
 * @param array<string, mixed> $current The settings now saved.
 * @return array{settings: array<string, mixed>, errors: string[]}
 */
function oovoo_sanitize_settings( $input, $current ) {
	$input    = is_array( $input ) ? $input : array();
	$settings = array_merge( oovoo_default_settings(), $current );
	$errors   = array();
	// Each value is checked as typed (trimmed) against a strict pattern or list, then saved sanitised.
	$text = static function ( $key ) use ( $input ) {
		return isset( $input[ $key ] ) && is_scalar( $input[ $key ] ) ? trim( (string) $input[ $key ] ) : '';
	};

	$server = $text( 'server_url' );
	if ( '' === $server ) {
		$settings['server_url'] = '';
	} elseif ( '' !== oovoo_url_origin( $server ) ) {
		$settings['server_url'] = oovoo_url_origin( $server );
	} else {
		/* translators: %s: what was typed. */
		$errors[] = sprintf( __( 'The server URL "%s" is not an http or https address; it was not changed.', 'oovoo' ), $server );
	}

	$script = $text( 'script_url' );
	if ( '' === $script || '' !== oovoo_url_origin( $script ) ) {
		$settings['script_url'] = esc_url_raw( $script, array( 'http', 'https' ) );
	} else {
		/* translators: %s: what was typed. */
		$errors[] = sprintf( __( 'The script URL "%s" is not an http or https address; it was not changed.', 'oovoo' ), $script );
	}

	$app_id = $text( 'app_id' );
	if ( '' === $app_id || preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $app_id ) ) {
		$settings['app_id'] = sanitize_text_field( $app_id );
	} else {
		$errors[] = __( 'The App ID has letters, digits, "-" and "_" only (as oovoo-server app create prints it); it was not changed.', 'oovoo' );
	}

	$token = $text( 'web_token' );
	if ( ! empty( $input['clear_web_token'] ) ) {
		$settings['web_token'] = '';
	} elseif ( '' === $token ) {
		$settings['web_token'] = isset( $current['web_token'] ) ? (string) $current['web_token'] : '';
	} elseif ( preg_match( '#^[A-Za-z0-9._~+/=-]{1,200}$#', $token ) ) {
		$settings['web_token'] = $token;
	} else {
		$errors[] = __( 'A web token has letters, digits and . _ ~ + / = - only, at most 200 of them (as oovoo-server token create prints it); it was not changed.', 'oovoo' );
	}

	foreach ( oovoo_setting_choices() as $key => $choices ) {
		$value = $text( $key );
		if ( isset( $choices[ $value ] ) ) {
			$settings[ $key ] = sanitize_key( $value );
		} elseif ( '' !== $value ) {
			/* translators: 1: the setting, 2: what was sent. */
			$errors[] = sprintf( __( 'Unknown value "%2$s" for %1$s; it was not changed.', 'oovoo' ), $key, $value );
		}
	}

	foreach ( array( 'allow_guests', 'prejoin', 'autojoin' ) as $key ) {
		$settings[ $key ] = ! empty( $input[ $key ] );
	}

	return array(
		'settings' => $settings,
		'errors'   => $errors,
	);
}

/**
 * The web token as the settings page may show it: whether one is set, and its last four characters.
 *
 * @param string $token The saved web token.
 * @return string
 */
function oovoo_masked_token( $token ) {
	if ( '' === $token ) {
		return __( 'not set', 'oovoo' );
	}
	/* translators: %s: the token's last four characters. */
	return sprintf( __( 'set, ending in …%s', 'oovoo' ), substr( $token, -4 ) );
}
