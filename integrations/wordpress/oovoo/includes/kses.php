<?php
/**
 * WordPress strips unknown tags from posts saved by users without `unfiltered_html`: keep the oovoo
 * elements (and only their own attributes) for the roles that may place them.
 *
 * @package oovoo
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

add_filter( 'wp_kses_allowed_html', 'oovoo_kses_allowed_html', 10, 2 );

/**
 * The oovoo elements and their attributes (from custom-elements.json). <oovoo-login> takes no token,
 * server or user here: only the plugin signs users in.
 *
 * @return array<string, array<string, bool>>
 */
function oovoo_kses_elements() {
	$common   = array( 'class', 'id', 'lang' );
	$elements = array(
		'oovoo-login'      => array( 'display-name' ),
		'oovoo-conference' => array( 'conference-id', 'display-name', 'user-data', 'resolution', 'min-fps', 'max-fps', 'audio', 'video', 'prejoin', 'layout', 'max-tiles', 'pinned', 'theme', 'participants-open', 'picture-in-picture', 'autojoin' ),
		'oovoo-video-tile' => array( 'participant', 'mirror', 'source', 'fit' ),
		'oovoo-prejoin'    => array( 'display-name', 'audio', 'video' ),
		'oovoo-chat'       => array( 'to' ),
	);
	$allowed  = array();
	foreach ( $elements as $tag => $attributes ) {
		$allowed[ $tag ] = array_fill_keys( array_merge( $attributes, $common ), true );
	}
	return $allowed;
}

/**
 * Adds the oovoo elements to the tags allowed in posts, for users who may write posts.
 *
 * @param array<string, mixed> $tags    The allowed tags.
 * @param string|array         $context The kses context.
 * @return array<string, mixed>
 */
function oovoo_kses_allowed_html( $tags, $context ) {
	if ( 'post' !== $context || ! current_user_can( 'edit_posts' ) ) {
		return $tags;
	}
	return array_merge( $tags, oovoo_kses_elements() );
}
