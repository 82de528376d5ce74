/**
 * The editor side of the oovoo blocks: a form for their attributes. The page shows the real elements,
 * which the server renders (a signed-in call needs the viewer's session token, made on the server).
 */
( function ( blocks, element, blockEditor, components, i18n ) {
	'use strict';
	var el = element.createElement;
	var __ = i18n.__;

	blocks.registerBlockType( 'oovoo/conference', {
		edit: function ( props ) {
			var a = props.attributes;
			var fields = [
				el( components.TextControl, {
					key: 'id',
					label: __( 'Room', 'oovoo' ),
					help: __( 'Everyone on pages with the same room meets in one call; empty: one call per page.', 'oovoo' ),
					value: a.id,
					onChange: function ( id ) {
						props.setAttributes( { id: id } );
					},
				} ),
				el( components.SelectControl, {
					key: 'layout',
					label: __( 'Layout', 'oovoo' ),
					value: a.layout,
					options: [
						{ label: __( 'The site’s default', 'oovoo' ), value: '' },
						{ label: __( 'Grid', 'oovoo' ), value: 'grid' },
						{ label: __( 'Speaker', 'oovoo' ), value: 'speaker' },
						{ label: __( 'Spotlight', 'oovoo' ), value: 'spotlight' },
					],
					onChange: function ( layout ) {
						props.setAttributes( { layout: layout } );
					},
				} ),
			];
			return el(
				'div',
				blockEditor.useBlockProps(),
				el( components.Placeholder, { icon: 'video-alt2', label: __( 'oovoo video call', 'oovoo' ) }, fields )
			);
		},
		save: function () {
			return null;
		},
	} );

	blocks.registerBlockType( 'oovoo/chat', {
		edit: function ( props ) {
			var field = el( components.TextControl, {
				label: __( 'Chat with', 'oovoo' ),
				help: __( 'Login names, separated by commas; each reader chats with the others.', 'oovoo' ),
				value: props.attributes.to,
				onChange: function ( to ) {
					props.setAttributes( { to: to } );
				},
			} );
			return el(
				'div',
				blockEditor.useBlockProps(),
				el( components.Placeholder, { icon: 'format-chat', label: __( 'oovoo chat', 'oovoo' ) }, field )
			);
		},
		save: function () {
			return null;
		},
	} );
} )( window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.i18n );
